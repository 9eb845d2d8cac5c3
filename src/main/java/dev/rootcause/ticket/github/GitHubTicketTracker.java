package dev.rootcause.ticket.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rootcause.incident.EffectRetryException;
import dev.rootcause.incident.Incident;
import dev.rootcause.incident.TicketTracker;
import dev.rootcause.report.Report;
import io.quarkus.arc.lookup.LookupIfProperty;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Tickets as GitHub issues. Exactly once without an idempotency key: before creating, it looks for an
 * issue labelled {@code rootcause-incident-<id>} (a create whose answer was lost, then retried, finds
 * its issue). The body is the Markdown report, cut to GitHub's 65,536 characters with a note; 429, or
 * 403 with the rate limit spent, become {@link EffectRetryException} with GitHub's wait.
 */
@ApplicationScoped
@LookupIfProperty(name = "rootcause.tickets.kind", stringValue = "github")
public class GitHubTicketTracker implements TicketTracker {

    /** GitHub rejects issue bodies over 65,536 characters. */
    static final int MAX_BODY = 65_536;
    /** GitHub's issue title limit. */
    static final int MAX_TITLE = 256;

    private final GitHubConfig config;
    private final ObjectMapper json;
    private final GitHubIssues api;
    private final String owner;
    private final String repo;

    GitHubTicketTracker(GitHubConfig config, ObjectMapper json) {
        this.config = config;
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
    public TicketRef open(Incident incident, Report report) {
        String label = "rootcause-incident-" + incident.id();
        String auth = config.token().map(t -> "Bearer " + t).orElse(null);
        try {
            JsonNode existing = api.withLabels(owner, repo, label, "all", auth);
            if (existing.isArray() && !existing.isEmpty()) {
                return ref(existing.get(0));
            }
            ObjectNode issue = json.createObjectNode();
            issue.put("title", cut(incident.title(), MAX_TITLE, "…"));
            issue.put("body", cut(report.markdown(), MAX_BODY, "\n\n…(report cut to GitHub's 65,536-character limit)"));
            var labels = issue.putArray("labels");
            config.labels().forEach(labels::add);
            labels.add(label);
            return ref(api.create(owner, repo, issue, auth));
        } catch (WebApplicationException e) {
            throw failure(e.getResponse());
        } catch (ProcessingException e) {
            throw new IllegalStateException("GitHub at " + config.url() + " unreachable: " + e.getMessage());
        }
    }

    private static TicketRef ref(JsonNode issue) {
        return new TicketRef("#" + issue.path("number").asText(), issue.path("html_url").asText());
    }

    private RuntimeException failure(Response r) {
        String message = "";
        try {
            JsonNode body = json.readTree(r.readEntity(String.class));
            message = body.path("message").asText("");
            for (JsonNode error : body.path("errors")) {
                message += "; " + error.path("field").asText("?") + ": " + error.path("code").asText(error.path("message").asText(""));
            }
        } catch (Exception unreadable) {
            // the status says enough
        }
        String text = "GitHub answered " + r.getStatus() + (message.isEmpty() ? "" : ": " + message);
        String retryAfter = r.getHeaderString("Retry-After");
        String remaining = r.getHeaderString("x-ratelimit-remaining");
        if (r.getStatus() == 429 || (r.getStatus() == 403 && ("0".equals(remaining) || retryAfter != null))) {
            Duration wait = Duration.ofMinutes(1);
            if (retryAfter != null && retryAfter.strip().matches("\\d+")) {
                wait = Duration.ofSeconds(Long.parseLong(retryAfter.strip()));
            } else if (r.getHeaderString("x-ratelimit-reset") != null) {
                long reset = Long.parseLong(r.getHeaderString("x-ratelimit-reset").strip());
                wait = Duration.ofSeconds(Math.max(1, reset - Instant.now().getEpochSecond()));
            }
            return new EffectRetryException(text, wait);
        }
        return new IllegalStateException(text);
    }

    /** At most {@code max} characters, ending with {@code note} when cut; never splits a surrogate pair. */
    static String cut(String text, int max, String note) {
        if (text.length() <= max) {
            return text;
        }
        int end = max - note.length();
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + note;
    }
}
