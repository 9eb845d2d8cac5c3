package dev.rootcause.ticket.jira;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rootcause.incident.Incident;
import dev.rootcause.incident.IncidentLinks;
import dev.rootcause.incident.effect.TicketTracker;
import dev.rootcause.report.Report;
import dev.rootcause.report.render.jira.AdfBlocks;
import dev.rootcause.report.render.jira.JiraRenderer;
import dev.rootcause.report.render.jira.WikiBlocks;
import io.quarkus.arc.lookup.LookupIfProperty;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Tickets as Jira issues: Data Center (REST v2, wiki-markup description, PAT bearer) or Cloud (REST v3,
 * ADF description, email + API token). Every issue is labelled {@code rootcause-incident-<id>}; Jira
 * has no idempotency key, so {@link #open} searches that label before creating, and after an attempt
 * whose outcome is unknown repeats the search with backoff first (Cloud's search is eventually
 * consistent). Close and reopen are the workflow transitions named in configuration and succeed
 * without a call when the issue is in the target status category already. Failures: see {@link JiraErrors}.
 */
@ApplicationScoped
@LookupIfProperty(name = "rootcause.tickets.kind", stringValue = "jira")
public class JiraTicketTracker implements TicketTracker {

    private final JiraConfig config;
    private final ObjectMapper json;
    private final JiraApi api;
    private final String version;
    private final String auth;
    private final String project;
    private final Sleeper sleeper;
    /** The incident pages' links, or null (tests): the description then carries none. */
    private final IncidentLinks links;

    /** Waits between repeated searches; tests pass one that does not sleep. */
    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    @Inject
    JiraTicketTracker(JiraConfig config, ObjectMapper json, IncidentLinks links) {
        this(config, json, d -> Thread.sleep(d.toMillis()), links);
    }

    JiraTicketTracker(JiraConfig config, ObjectMapper json, Sleeper sleeper) {
        this(config, json, sleeper, null);
    }

    JiraTicketTracker(JiraConfig config, ObjectMapper json, Sleeper sleeper, IncidentLinks links) {
        this.links = links;
        this.config = config;
        this.json = json;
        this.sleeper = sleeper;
        this.project = config.project().orElseThrow(() -> new IllegalStateException(
                "rootcause.tickets.kind=jira needs rootcause.tickets.jira.project (a project key such as OPS)"));
        var url = config.url().orElseThrow(() -> new IllegalStateException(
                "rootcause.tickets.kind=jira needs rootcause.tickets.jira.url"));
        boolean cloud = config.flavour() == JiraConfig.Flavour.CLOUD;
        this.version = cloud ? "3" : "2";
        String token = config.token().orElseThrow(() -> new IllegalStateException(
                "rootcause.tickets.kind=jira needs rootcause.tickets.jira.token"));
        if (cloud) {
            String email = config.email().orElseThrow(() -> new IllegalStateException(
                    "rootcause.tickets.jira.flavour=cloud needs rootcause.tickets.jira.email (the API token's account)"));
            this.auth = "Basic " + Base64.getEncoder().encodeToString((email + ":" + token).getBytes(StandardCharsets.UTF_8));
        } else {
            this.auth = "Bearer " + token;
        }
        this.api = QuarkusRestClientBuilder.newBuilder().baseUri(url)
                .connectTimeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .build(JiraApi.class);
    }

    @Override
    public TicketRef open(Incident incident, Report report, Attempt attempt) {
        String label = label(incident);
        Optional<TicketRef> existing = find(label, attempt.retried() && version.equals("3") ? config.searchRetries() : 0);
        JiraDescription d = description(incident, report);
        TicketRef ticket = existing.isPresent() ? existing.get()
                : ref(call("create issue", () -> api.create(version, issue(incident, report, d.first()), auth)).path("key").asText());
        // what exceeds Jira's 32,767-character text field continues in comments, as GitHub's body does; an issue found
        // (an earlier attempt made it, and may have failed on a comment) gets the comments still missing, by marker
        boolean seen = attempt.retried() || existing.isPresent();
        int last = Math.min(d.parts().size() - 1, JiraDescription.MAX_OVERFLOW);
        for (int i = 1; i <= last; i++) {
            JsonNode part = d.parts().get(i);
            String heading = "Report, continued (" + i + "/" + last + "):";
            post(ticket, new Attempt(attempt.idempotencyKey() + "/part-" + i, seen),
                    marker -> JiraDescription.comment(part, heading, marker, json));
        }
        return ticket;
    }

    /** The issue's {@code fields}: project, type, summary, description, priority, labels, configured fields. */
    ObjectNode issue(Incident incident, Report report) {
        return issue(incident, report, description(incident, report).first());
    }

    private JiraDescription description(Incident incident, Report report) {
        return JiraDescription.of(version.equals("3"), report.outline(),
                links == null ? java.util.Optional.empty() : links.absoluteIncident(incident.id()), json);
    }

    /** @param description wiki text (a JSON string) or an ADF doc: the first part of {@link #description} */
    ObjectNode issue(Incident incident, Report report, JsonNode description) {
        ObjectNode body = json.createObjectNode();
        ObjectNode fields = body.putObject("fields");
        fields.putObject("project").put("key", project);
        fields.putObject("issuetype").put("name", config.issueType());
        fields.put("summary", JiraRenderer.summary(incident.title()));
        // the description opens with the incident page's link when it can be absolute (rootcause.external-url)
        fields.set("description", description);
        String severity = incident.severity() == null ? null : incident.severity().toLowerCase(Locale.ROOT);
        String priority = severity == null ? null : config.priority().get(severity);
        if (priority != null) {
            fields.putObject("priority").put("name", priority);
        }
        var labels = fields.putArray("labels");
        config.labels().forEach(labels::add);
        labels.add(label(incident));
        for (Map.Entry<String, String> f : config.fields().entrySet()) {
            fields.set(f.getKey(), value(f.getValue()));
        }
        return body;
    }

    /**
     * Comments once: the text ends with a marker naming the effect, and a retried attempt first reads
     * the issue's comments (up to 500) for it.
     */
    @Override
    public void comment(TicketRef ticket, Incident incident, String text, Attempt attempt) {
        post(ticket, attempt, marker -> {
            String full = text + "\n\n" + marker;
            ObjectNode body = json.createObjectNode();
            if (version.equals("3")) {
                AdfBlocks adf = new AdfBlocks(json);
                full.lines().forEach(line -> adf.paragraph(null, line));
                body.set("body", adf.doc(JiraRenderer.MAX_CHARS));
            } else {
                StringBuilder wiki = new StringBuilder();
                text.lines().forEach(line -> wiki.append(WikiBlocks.escape(line)).append('\n'));
                body.put("body", wiki + "\n" + marker);
            }
            return body;
        });
    }

    /** Posts a comment built around its marker once: a retried attempt first reads the issue's comments (up to 500) for it. */
    private void post(TicketRef ticket, Attempt attempt, java.util.function.Function<String, ObjectNode> body) {
        String marker = "rootcause effect " + attempt.idempotencyKey();
        if (attempt.retried()) {
            for (int start = 0; start < 500; start += 100) {
                int from = start;
                JsonNode page = call("read comments", () -> api.comments(version, ticket.key(), from, 100, auth));
                if (page.path("comments").toString().contains(marker)) {
                    return;
                }
                if (page.path("comments").size() < 100) {
                    break;
                }
            }
        }
        ObjectNode b = body.apply(marker);
        call("add comment", () -> api.comment(version, ticket.key(), b, auth));
    }

    @Override
    public void close(TicketRef ticket, Incident incident, Attempt attempt) {
        transition(ticket, config.closeTransition(), true);
    }

    @Override
    public void reopen(TicketRef ticket, Incident incident, Attempt attempt) {
        transition(ticket, config.reopenTransition(), false);
    }

    /**
     * Runs the named transition; when it is not offered and the issue's status category already is
     * {@code done} (closing) or not {@code done} (reopening), there is nothing to do.
     */
    private void transition(TicketRef ticket, String name, boolean toDone) {
        JsonNode offered = call("read transitions", () -> api.transitions(version, ticket.key(), auth)).path("transitions");
        for (JsonNode t : offered) {
            if (t.path("name").asText().equalsIgnoreCase(name)) {
                ObjectNode body = json.createObjectNode();
                body.putObject("transition").put("id", t.path("id").asText());
                call("transition " + name, () -> {
                    api.transition(version, ticket.key(), body, auth);
                    return null;
                });
                return;
            }
        }
        JsonNode status = call("read status", () -> api.issue(version, ticket.key(), "status", auth)).at("/fields/status");
        boolean done = "done".equals(status.at("/statusCategory/key").asText());
        if (done == toDone) {
            return;
        }
        StringBuilder names = new StringBuilder();
        offered.forEach(t -> names.append(names.length() == 0 ? "" : ", ").append(t.path("name").asText()));
        throw new IllegalStateException("Jira issue " + ticket.key() + " (status " + status.path("name").asText("?")
                + ") offers no transition named \"" + name + "\" (offered: " + (names.length() == 0 ? "none" : names)
                + "); set rootcause.tickets.jira." + (toDone ? "close" : "reopen") + "-transition");
    }

    /** The issue labelled for the incident, searching {@code 1 + retries} times with doubling backoff while none is found. */
    private Optional<TicketRef> find(String label, int retries) {
        String jql = "project = \"" + project.replace("\"", "\\\"") + "\" AND labels = \"" + label + "\" ORDER BY created ASC";
        Duration wait = config.searchBackoff();
        for (int i = 0; ; i++) {
            JsonNode found = call("search", () -> version.equals("3") ? api.searchJql(version, jql, "key", 1, auth)
                    : api.search(version, jql, "key", 1, auth));
            JsonNode issues = found.path("issues");
            if (issues.size() > 0) {
                return Optional.of(ref(issues.get(0).path("key").asText()));
            }
            if (i >= retries) {
                return Optional.empty();
            }
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Jira's search to catch up");
            }
            wait = wait.multipliedBy(2);
        }
    }

    private TicketRef ref(String key) {
        String base = config.url().orElseThrow().toString();
        return new TicketRef(key, (base.endsWith("/") ? base : base + "/") + "browse/" + key);
    }

    private static String label(Incident incident) {
        return "rootcause-incident-" + incident.id();
    }

    private JsonNode value(String configured) {
        String v = configured.strip();
        if (v.startsWith("{") || v.startsWith("[") || v.startsWith("\"") || v.matches("-?\\d+(\\.\\d+)?|true|false")) {
            try {
                return json.readTree(v);
            } catch (JsonProcessingException e) {
                // not JSON after all: send it as typed
            }
        }
        return json.getNodeFactory().textNode(configured);
    }

    private <T> T call(String what, Supplier<T> request) {
        try {
            return request.get();
        } catch (WebApplicationException e) {
            throw JiraErrors.failure(what, e.getResponse(), json);
        } catch (ProcessingException e) {
            throw new IllegalStateException("Jira at " + config.url().orElseThrow() + " unreachable (" + what + "): "
                    + e.getMessage());
        }
    }
}
