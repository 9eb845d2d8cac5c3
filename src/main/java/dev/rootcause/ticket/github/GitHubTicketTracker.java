package dev.rootcause.ticket.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rootcause.incident.Incident;
import dev.rootcause.incident.IncidentLinks;
import dev.rootcause.incident.effect.TicketTracker;
import dev.rootcause.report.Report;
import dev.rootcause.report.TextCut;
import dev.rootcause.report.render.GitHubRenderer;
import io.quarkus.arc.lookup.LookupIfProperty;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Tickets as GitHub issues. Exactly once without an idempotency key: before creating, it looks for an
 * issue labelled {@code rootcause-incident-<id>} (a create whose answer was lost, then retried, finds
 * its issue). The body is the Markdown report; what exceeds GitHub's 65,536 characters moves into
 * comments (split at line breaks) instead of being refused. Failures: see {@link GitHubErrors}.
 */
@ApplicationScoped
@LookupIfProperty(name = "rootcause.tickets.kind", stringValue = "github")
public class GitHubTicketTracker implements TicketTracker {

    static final int MAX_BODY = GitHubRenderer.MAX_BODY;
    /** A body part's limit: GitHub's, less room for the "continues below" line, a comment's heading and marker. */
    static final int PART = MAX_BODY - 400;
    /** The most comments a body's overflow takes (each up to {@link #PART} characters). */
    static final int MAX_OVERFLOW = 10;

    private final GitHubConfig config;
    private final IncidentLinks links;
    private final ObjectMapper json;
    private final GitHubIssues api;
    private final String owner;
    private final String repo;

    GitHubTicketTracker(GitHubConfig config, ObjectMapper json, IncidentLinks links) {
        this.config = config;
        this.links = links;
        this.json = json;
        String repository = config.repository().orElseThrow(() -> new IllegalStateException(
                "rootcause.tickets.kind=github needs rootcause.tickets.github.repository (owner/name)"));
        int slash = repository.indexOf('/');
        if (slash <= 0 || slash == repository.length() - 1) {
            throw new IllegalStateException("rootcause.tickets.github.repository must be owner/name, got " + repository);
        }
        this.owner = repository.substring(0, slash);
        this.repo = repository.substring(slash + 1);
        this.api = QuarkusRestClientBuilder.newBuilder().baseUri(config.url())
                .connectTimeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .build(GitHubIssues.class);
    }

    @Override
    public TicketRef open(Incident incident, Report report, Attempt attempt) {
        String label = "rootcause-incident-" + incident.id();
        String auth = auth();
        // the body opens with the incident page's link when it can be absolute (rootcause.external-url)
        String page = links.absoluteIncident(incident.id()).map(u -> "[Incident page](" + u + ")\n\n").orElse("");
        List<String> parts = GitHubRenderer.bodyParts(report.outline(), page, PART);
        JsonNode existing = call(() -> api.withLabels(owner, repo, label, "all", auth));
        boolean found = existing.isArray() && !existing.isEmpty();
        TicketRef ticket = found ? ref(existing.get(0)) : call(() -> {
            ObjectNode issue = json.createObjectNode();
            issue.put("title", GitHubRenderer.title(report.outline()));
            issue.put("body", parts.isEmpty() ? "" : parts.get(0) + (parts.size() > 1 ? continued(parts.size() - 1) : ""));
            var labels = issue.putArray("labels");
            config.labels().forEach(labels::add);
            labels.add(label);
            return ref(api.create(owner, repo, issue, auth));
        });
        overflow(ticket, incident, parts, attempt, found);
        return ticket;
    }

    private static String continued(int comments) {
        return "\n\n*(The report is longer than GitHub's 65,536-character issue body: it continues in the "
                + (comments == 1 ? "first comment" : "first " + comments + " comments") + " below.)*";
    }

    /**
     * The body's overflow as comments, at most {@link #MAX_OVERFLOW}, each with its own marker: when the
     * issue was found rather than created (a repeat), the comments already there are not posted again.
     */
    private void overflow(TicketRef ticket, Incident incident, List<String> parts, Attempt attempt, boolean found) {
        int last = Math.min(parts.size() - 1, MAX_OVERFLOW);
        for (int i = 1; i <= last; i++) {
            String text = "Report, continued (" + i + "/" + last + "):\n\n" + parts.get(i)
                    + (i == last && parts.size() - 1 > MAX_OVERFLOW ? "\n\n…(the rest of the report is on the incident page)" : "");
            comment(ticket, incident, text, new Attempt(attempt.idempotencyKey() + "/part-" + i, found));
        }
    }

    /**
     * Adds the comment with a hidden marker naming the effect; a retried attempt first looks through the
     * issue's comments (up to 10 pages of 100) for that marker, so a comment whose answer was lost is
     * not posted twice.
     */
    @Override
    public void comment(TicketRef ticket, Incident incident, String text, Attempt attempt) {
        String marker = "<!-- rootcause:" + attempt.idempotencyKey() + " -->";
        String number = number(ticket);
        call(() -> {
            if (attempt.retried()) {
                for (int page = 1; page <= 10; page++) {
                    JsonNode comments = api.comments(owner, repo, number, 100, page, auth());
                    for (JsonNode c : comments) {
                        if (c.path("body").asText().contains(marker)) {
                            return null;
                        }
                    }
                    if (comments.size() < 100) {
                        break;
                    }
                }
            }
            ObjectNode comment = json.createObjectNode();
            comment.put("body", TextCut.cut(text, MAX_BODY - marker.length() - 1, "…") + "\n" + marker);
            return api.comment(owner, repo, number, comment, auth());
        });
    }

    /** Closes the issue as completed; GitHub answers 200 for an issue closed already. */
    @Override
    public void close(TicketRef ticket, Incident incident, Attempt attempt) {
        setState(ticket, "closed", "completed");
    }

    /** Reopens the issue ({@code state_reason: reopened}); GitHub answers 200 for an open issue. */
    @Override
    public void reopen(TicketRef ticket, Incident incident, Attempt attempt) {
        setState(ticket, "open", "reopened");
    }

    private void setState(TicketRef ticket, String state, String reason) {
        ObjectNode change = json.createObjectNode();
        change.put("state", state);
        change.put("state_reason", reason);
        call(() -> api.update(owner, repo, number(ticket), change, auth()));
    }

    private static String number(TicketRef ticket) {
        if (!ticket.key().matches("#[1-9][0-9]{0,18}")) {
            throw new IllegalStateException("not a GitHub issue key: " + ticket.key()
                    + " (was rootcause.tickets.kind changed while the incident was open?)");
        }
        return ticket.key().substring(1);
    }

    private String auth() {
        return config.token().map(t -> "Bearer " + t).orElse(null);
    }

    private <T> T call(java.util.function.Supplier<T> request) {
        try {
            return request.get();
        } catch (WebApplicationException e) {
            throw GitHubErrors.failure(e.getResponse(), json, Clock.systemUTC());
        } catch (ProcessingException e) {
            throw new IllegalStateException("GitHub at " + config.url() + " unreachable: " + e.getMessage());
        }
    }

    private static TicketRef ref(JsonNode issue) {
        return new TicketRef("#" + issue.path("number").asText(), issue.path("html_url").asText());
    }

}
