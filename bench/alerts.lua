-- alerts.lua -- wrk request generator for Alertmanager-shaped traffic.
-- Selected with env MODE (load.sh sets it):
--   storm     (a) POST /api/v2/alerts body, 1 postable alert/request, every label set new
--   dedup     (b) POST /api/v2/alerts body, 1 alert/request, cycling over the same DEDUP_N (100) alerts
--   batch     (c) POST /api/v2/alerts body, BATCH (50) alerts/request, every label set new
--   webhook1      Alertmanager webhook v4 notification, a group of 1 alert
--   webhook50     Alertmanager webhook v4 notification, a group of BATCH (50) alerts
--   webhookdedup  Alertmanager webhook v4 notifications of DEDUP_N (100) fixed groups of 1 alert, re-sent
--                 over and over (what an HA pair and repeat_interval send): the receiver's dedup path
-- Env: BATCH (default 50), DEDUP_N (default 100), RECEIVER (webhook "receiver", default "bot"),
--      EXTERNAL_URL (webhook "externalURL", default http://127.0.0.1:19193), NONCE (run id in pod names).
local MODE     = os.getenv("MODE") or "storm"
local BATCH    = tonumber(os.getenv("BATCH") or "50")
local DEDUP_N  = tonumber(os.getenv("DEDUP_N") or "100")
local RECEIVER = os.getenv("RECEIVER") or "bot"
local EXTURL   = os.getenv("EXTERNAL_URL") or "http://127.0.0.1:19193"
local NONCE    = os.getenv("NONCE") or "run0"   -- load.sh sets one per run (same in all threads)

-- 20 alert rules x 25 services = 500 possible (alertname, service) groups
local RULES = {
  {"HighRequestLatency",   "warning",  "p99 request latency above 750ms",            "histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m]))) > 0.75"},
  {"HighErrorRate",        "critical", "5xx error ratio above 5%",                    "sum(rate(http_requests_total{code=~\"5..\"}[5m])) / sum(rate(http_requests_total[5m])) > 0.05"},
  {"PodCrashLooping",      "critical", "container restarted more than 3 times in 15m","increase(kube_pod_container_status_restarts_total[15m]) > 3"},
  {"PodNotReady",          "warning",  "pod has not been ready for 10m",              "kube_pod_status_ready{condition=\"false\"} == 1"},
  {"HighMemoryUsage",      "warning",  "memory working set above 90% of limit",       "container_memory_working_set_bytes / container_spec_memory_limit_bytes > 0.9"},
  {"CPUThrottlingHigh",    "info",     "CPU throttled for more than 25% of periods",  "rate(container_cpu_cfs_throttled_periods_total[5m]) / rate(container_cpu_cfs_periods_total[5m]) > 0.25"},
  {"DiskSpaceLow",         "warning",  "filesystem has less than 10% space left",     "node_filesystem_avail_bytes / node_filesystem_size_bytes < 0.1"},
  {"TargetDown",           "critical", "scrape target is down",                       "up == 0"},
  {"KafkaConsumerLag",     "warning",  "consumer group lag above 10000 messages",     "sum by (consumergroup) (kafka_consumergroup_lag) > 10000"},
  {"DBConnectionsExhausted","critical","connection pool above 95% utilisation",       "db_pool_active_connections / db_pool_max_connections > 0.95"},
  {"CertificateExpiring",  "warning",  "TLS certificate expires in less than 7 days", "probe_ssl_earliest_cert_expiry - time() < 604800"},
  {"JobFailed",            "warning",  "batch job failed",                            "kube_job_status_failed > 0"},
  {"HighGCPause",          "warning",  "GC pause time above 200ms per minute",        "rate(jvm_gc_pause_seconds_sum[1m]) > 0.2"},
  {"QueueBacklogGrowing",  "warning",  "work queue depth grew for 15m",               "deriv(queue_depth[15m]) > 0"},
  {"SLOBurnRateFast",      "critical", "error budget burn rate above 14.4x",          "slo:sli_error:ratio_rate1h > (14.4 * 0.001)"},
  {"NodeNotReady",         "critical", "node NotReady for 5m",                        "kube_node_status_condition{condition=\"Ready\",status=\"true\"} == 0"},
  {"HPAMaxedOut",          "warning",  "HPA at max replicas for 15m",                 "kube_hpa_status_current_replicas == kube_hpa_spec_max_replicas"},
  {"RedisMemoryHigh",      "warning",  "redis memory above 85% of maxmemory",         "redis_memory_used_bytes / redis_memory_max_bytes > 0.85"},
  {"HTTPProbeFailed",      "critical", "blackbox HTTP probe failing",                 "probe_success == 0"},
  {"ThreadPoolSaturated",  "warning",  "executor queue above 80% capacity",           "executor_queue_size / executor_queue_capacity > 0.8"},
}
local SERVICES = {"checkout","payments","cart","catalog","search","auth","orders","shipping","inventory",
  "recommendations","email","notifications","gateway","billing","profile","reviews","ads","currency",
  "frontend","quote","pricing","media","accounting","fraud-detection","ledger"}
local NR, NS = #RULES, #SERVICES

local function urlenc(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
local function jesc(s) return (s:gsub('\\', '\\\\'):gsub('"', '\\"')) end
for _, r in ipairs(RULES) do
  r.gen  = "http://prometheus-0.monitoring.svc:9090/graph?g0.expr=" .. urlenc(r[4]) .. "&g0.tab=1"
  r.expr = jesc(r[4])
end

local B36 = "0123456789abcdefghijklmnopqrstuvwxyz"
local function b36(n, width)
  local t = {}
  for i = width, 1, -1 do local d = n % 36; t[i] = B36:sub(d + 1, d + 1); n = math.floor(n / 36) end
  return table.concat(t)
end
local function iso(t) return os.date("!%Y-%m-%dT%H:%M:%S", t) .. ".000Z" end

-- timestamps, refreshed once per second
local last_t, starts_s, ends_s = -1, nil, nil
local function stamps()
  local t = os.time()
  if t ~= last_t then last_t = t; starts_s = iso(t - 60); ends_s = iso(t + 240) end -- Prometheus-like: endsAt = now + 4 x 1m resend
  return starts_s, ends_s
end

-- one alert identity: rule r, service s, serial n (unique per thread); returns labels/annotations pieces
local function ident(ri, si, n)
  local r, svc = RULES[ri], SERVICES[si]
  local pod = string.format("%s-%s-%s", svc, NONCE, b36(n, 5))
  local inst = string.format("10.%d.%d.%d:8080", math.floor(n / 65536) % 256, math.floor(n / 256) % 256, n % 256)
  -- keys in Alertmanager's own (sorted) order
  local labels = string.format('{"alertname":"%s","instance":"%s","pod":"%s","service":"%s","severity":"%s"}',
    r[1], inst, pod, svc, r[2])
  local summary = string.format("%s: %s on %s", r[1], r[3], svc)
  local descr = string.format("Pod %s (instance %s) of service %s: %s for more than 5 minutes. Check the dashboard and recent deploys; page the owning team if it persists.",
    pod, inst, svc, r[3])
  return r, svc, labels, summary, descr
end

local function postable(ri, si, n, st, en)
  local r, svc, labels, summary, descr = ident(ri, si, n)
  if not st then st, en = stamps() end
  return string.format('{"labels":%s,"annotations":{"description":"%s","summary":"%s"},"startsAt":"%s","endsAt":"%s","generatorURL":"%s"}',
    labels, descr, summary, st, en, r.gen)
end

local function webhook_alert(ri, si, n, fp)
  local r, svc, labels, summary, descr = ident(ri, si, n)
  local st = stamps():gsub("%.000Z$", "Z")       -- Alertmanager re-renders whole seconds without fraction
  return string.format('{"status":"firing","labels":%s,"annotations":{"description":"%s","summary":"%s"},"startsAt":"%s","endsAt":"0001-01-01T00:00:00Z","generatorURL":"%s","fingerprint":"%016x"}',
    labels, descr, summary, st, r.gen, fp), r, svc, summary, descr
end

local function webhook(ri, si, n0, k)
  local parts, r, svc, summary, descr = {}
  for i = 1, k do
    parts[i], r, svc, summary, descr = webhook_alert(ri, si, n0 + i - 1, (tid * 1000003 + n0 + i) * 2654435761 % 0x7fffffffffff)
  end
  local cl, ca
  if k == 1 then
    local _, _, labels = ident(ri, si, n0)
    cl = labels
    ca = string.format('{"description":"%s","summary":"%s"}', descr, summary)
  else
    cl = string.format('{"alertname":"%s","service":"%s","severity":"%s"}', r[1], svc, r[2])
    ca = string.format('{"summary":"%s"}', summary)
  end
  return string.format('{"receiver":"%s","status":"firing","alerts":[%s],"groupLabels":{"alertname":"%s","service":"%s"},"commonLabels":%s,"commonAnnotations":%s,"externalURL":"%s","version":"4","groupKey":"{}:{alertname=\\"%s\\", service=\\"%s\\"}","truncatedAlerts":0}',
    RECEIVER, table.concat(parts, ","), r[1], svc, cl, ca, EXTURL, r[1], svc)
end

-- ---- wrk hooks ----
local nthreads, threads = 0, {}
function setup(thread)
  thread:set("tid", nthreads); nthreads = nthreads + 1; table.insert(threads, thread)
end

local serial, reqs, dedup_reqs, dedup_built, dedup_start = 0, 0, nil, 0, nil
-- dedup: the same DEDUP_N label sets in every thread and every run (pod nonce fixed "dedup"),
-- startsAt fixed, endsAt pushed forward every 30 s like a Prometheus re-send
local function build_dedup()
  local t = os.time(); dedup_built = t
  dedup_start = dedup_start or iso((tonumber(os.getenv("T0") or "") or t) - 300)  -- load.sh exports T0 once per run
  local en = iso(t + 240)
  dedup_reqs = {}
  for i = 0, DEDUP_N - 1 do
    dedup_reqs[i + 1] = wrk.format(nil, nil, nil, "[" .. postable(i % NR + 1, (i * 7) % NS + 1, 900000 + i, dedup_start, en) .. "]")
  end
end
-- webhookdedup: DEDUP_N fixed one-alert groups; startsAt fixed so every re-send is the same delivery
local webhook_dedup = nil
local function build_webhook_dedup()
  webhook_dedup = {}
  local st = os.date("!%Y-%m-%dT%H:%M:%SZ", (tonumber(os.getenv("T0") or "") or os.time()) - 300)
  for i = 0, DEDUP_N - 1 do
    local ri, si, n = i % NR + 1, (i * 7) % NS + 1, 900000 + i
    local r, svc, labels, summary, descr = ident(ri, si, n)
    local alert = string.format('{"status":"firing","labels":%s,"annotations":{"description":"%s","summary":"%s"},"startsAt":"%s","endsAt":"0001-01-01T00:00:00Z","generatorURL":"%s","fingerprint":"%016x"}',
      labels, descr, summary, st, r.gen, 0xde0000 + i)
    local body = string.format('{"receiver":"%s","status":"firing","alerts":[%s],"groupLabels":{"alertname":"%s","pod":"%s"},"commonLabels":%s,"commonAnnotations":{"summary":"%s"},"externalURL":"%s","version":"4","groupKey":"{}:{alertname=\\"%s\\", pod=\\"dedup-%d\\"}","truncatedAlerts":0}',
      RECEIVER, alert, r[1], "dedup-" .. i, labels, summary, EXTURL, r[1], i)
    webhook_dedup[i + 1] = wrk.format(nil, nil, nil, body)
  end
end

function init(args)
  tid = tid or 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  serial = tid * 2^24            -- per-thread disjoint serial space (16M alerts each)
  if MODE == "dedup" then
    NONCE = "dedup"; build_dedup()
  elseif MODE == "webhookdedup" then
    NONCE = "dedup"; build_webhook_dedup()
  elseif MODE ~= "storm" and MODE ~= "batch" and MODE ~= "webhook1" and MODE ~= "webhook50" then
    io.stderr:write("alerts.lua: unknown MODE " .. MODE .. "\n"); os.exit(2)
  end
end

function request()
  reqs = reqs + 1
  if MODE == "webhookdedup" then
    return webhook_dedup[(reqs - 1) % DEDUP_N + 1]
  end
  if MODE == "dedup" then
    if reqs % 1024 == 0 and os.time() - dedup_built >= 30 then build_dedup() end
    return dedup_reqs[(reqs - 1) % DEDUP_N + 1]
  end
  local k = (MODE == "batch" or MODE == "webhook50") and BATCH or 1
  local n0 = serial; serial = serial + k
  local g = math.floor(n0 / k)                   -- group choice rotates per request
  local ri, si = g % NR + 1, math.floor(g / NR) % NS + 1
  if MODE == "webhook1" or MODE == "webhook50" then
    return wrk.format(nil, nil, nil, webhook(ri, si, n0, k))
  end
  local parts = {}
  for i = 1, k do
    local m = n0 + i - 1
    -- storm/batch: alerts of one request spread over rules/services, all label sets new
    parts[i] = postable(m % NR + 1, math.floor(m / NR) % NS + 1, m)
  end
  return wrk.format(nil, nil, nil, "[" .. table.concat(parts, ",") .. "]")
end

function done(summary, latency, requests)
  local e = summary.errors
  local per = (MODE == "batch" or MODE == "webhook50") and BATCH or 1
  io.write(string.format("LUA_RESULT mode=%s requests=%d duration_us=%d bytes=%d per_req=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d mean_us=%.0f err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d\n",
    MODE, summary.requests, summary.duration, summary.bytes, per,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    e.connect, e.read, e.write, e.status, e.timeout))
end
