// rootcause media type for Zabbix 6.0 LTS and 7.0 LTS (Alerts → Media types → Create media type → Type: Webhook).
// Posts one trigger event, a problem or its recovery, to rootcause's POST /api/v1/alerts/zabbix.
// Parameters (name = value; docs/zabbix.md explains each):
//   url                 = http://rootcause.example:8080/api/v1/alerts/zabbix
//   token               = (rootcause's intake bearer token, rootcause.intake.token; empty when none)
//   zabbix_url          = {$ZABBIX.URL}   (the frontend's address, for links back to the event)
//   event_id            = {EVENT.ID}      event_value = {EVENT.VALUE}     event_name = {EVENT.NAME}
//   event_severity      = {EVENT.SEVERITY}
//   event_date          = {EVENT.DATE}    event_time  = {EVENT.TIME}
//   event_recovery_date = {EVENT.RECOVERY.DATE}   event_recovery_time = {EVENT.RECOVERY.TIME}
//   event_tags          = {EVENT.TAGSJSON}
//   host                = {HOST.HOST}     host_name   = {HOST.NAME}
//   trigger_id          = {TRIGGER.ID}    trigger_name = {TRIGGER.NAME}
//   trigger_expression  = {TRIGGER.EXPRESSION}    trigger_description = {TRIGGER.DESCRIPTION}
//   trigger_url         = {TRIGGER.URL}   item_key    = {ITEM.KEY1}
//   receiver            = {ALERT.SENDTO}
// A failure throws, so Zabbix marks the alert failed and retries it (the media type's "Attempts"). rootcause answers
// 202 (stored) or 200 (a duplicate, e.g. a retry of a delivery it already has); both are success.

var RootCause = {
    // A macro Zabbix could not resolve stays as typed, e.g. {EVENT.RECOVERY.DATE} in a problem's message.
    value: function (params, name) {
        var v = params[name];
        if (typeof v !== 'string') {
            return '';
        }
        v = v.trim();
        return /^\{[A-Z0-9_.$#]+\}$/.test(v) ? '' : v;
    },

    // {EVENT.DATE} "2026.12.02" and {EVENT.TIME} "06:40:12" are the Zabbix server's local time: made a Date in the
    // same local time, then written as RFC 3339 in UTC.
    time: function (date, time) {
        var d = /^(\d{4})\.(\d{2})\.(\d{2})$/.exec(date);
        var t = /^(\d{2}):(\d{2}):(\d{2})$/.exec(time);
        if (!d || !t) {
            return '';
        }
        var local = new Date(parseInt(d[1], 10), parseInt(d[2], 10) - 1, parseInt(d[3], 10),
            parseInt(t[1], 10), parseInt(t[2], 10), parseInt(t[3], 10));
        return local.toISOString().replace(/\.\d{3}Z$/, 'Z');
    },

    tags: function (json) {
        if (json === '') {
            return [];
        }
        try {
            var tags = JSON.parse(json);
            return Array.isArray(tags) ? tags : [];
        } catch (e) {
            Zabbix.log(3, '[rootcause webhook] event_tags is not {EVENT.TAGSJSON}: ' + json);
            return [];
        }
    },

    event: function (p) {
        var v = function (name) { return RootCause.value(p, name); };
        return {
            eventid: v('event_id'),
            event_value: v('event_value'),
            event_name: v('event_name'),
            severity: v('event_severity'),
            host: v('host'),
            host_name: v('host_name'),
            trigger_id: v('trigger_id'),
            trigger_name: v('trigger_name'),
            trigger_expression: v('trigger_expression'),
            trigger_description: v('trigger_description'),
            trigger_url: v('trigger_url'),
            item_key: v('item_key'),
            tags: RootCause.tags(v('event_tags')),
            starts_at: RootCause.time(v('event_date'), v('event_time')),
            ends_at: RootCause.time(v('event_recovery_date'), v('event_recovery_time')),
            zabbix_url: v('zabbix_url'),
            receiver: v('receiver')
        };
    },

    send: function (p) {
        var url = RootCause.value(p, 'url');
        if (url === '') {
            throw 'the parameter "url" is empty: set it to rootcause\'s /api/v1/alerts/zabbix';
        }
        var request = new HttpRequest();
        request.addHeader('Content-Type: application/json');
        var token = RootCause.value(p, 'token');
        if (token !== '') {
            request.addHeader('Authorization: Bearer ' + token);
        }
        if (RootCause.value(p, 'http_proxy') !== '') {
            request.setProxy(RootCause.value(p, 'http_proxy'));
        }
        var body = JSON.stringify(RootCause.event(p));
        var response = request.post(url, body);
        var status = request.getStatus();
        if (status !== 200 && status !== 202) {
            throw 'rootcause answered HTTP ' + status + ': ' + String(response).substring(0, 500);
        }
        return response;
    }
};

try {
    var answer = RootCause.send(JSON.parse(value));
    Zabbix.log(4, '[rootcause webhook] delivered: ' + answer);
    return 'OK';
} catch (error) {
    Zabbix.log(3, '[rootcause webhook] failed: ' + error);
    throw 'rootcause webhook failed: ' + error;
}
