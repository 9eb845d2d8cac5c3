package dev.rootcause.api.rule;

import dev.rootcause.rule.Layer;
import dev.rootcause.rule.Matcher;
import dev.rootcause.rule.Rule;
import dev.rootcause.rule.load.RuleLoader;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /api/v1/rules}: the rules in force and the errors and warnings of the last load (the rule files' and
 * {@code symptoms.yaml}'s, whose mistakes keep its last good version in force too), e.g.
 * {@code {"rules":[{"id":"cache-hit-rate","symptoms":["cache","latency"],"target":["service"],...}],
 * "errors":["broken.yaml:7: ..."], "warnings":["old.yaml: rule old declares no symptoms ..."], "loadedAt":"..."}}.
 */
@Path("/api/v1/rules")
@Tag(name = "diagnosis")
@SecurityRequirement(name = "apiToken")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
@Produces(MediaType.APPLICATION_JSON)
public class RulesResource {

    private final RuleLoader loader;

    RulesResource(RuleLoader loader) {
        this.loader = loader;
    }

    /**
     * One rule as listed: its steps as {@code id (type)}, its findings by id.
     *
     * @param symptoms the symptoms it explains, e.g. {@code [latency, saturation.cpu]}; null when it declares none
     *                 (selected by {@code match} alone)
     * @param target   the kinds of target it needs, any one of them, e.g. {@code [service]}; empty when it needs none
     */
    public record RuleView(String id, String title, String file, Layer layer, List<String> symptoms, List<String> target,
            boolean ondemand, List<String> match, List<String> steps, List<String> findings, String runbook) {
    }

    /** The listing; {@code unavailable} says why there is no rule set at all, else null. */
    public record Listing(List<RuleView> rules, List<String> errors, List<String> warnings, Instant loadedAt,
            String unavailable) {
    }

    @GET
    @Operation(summary = "The rule set in force, with the files whose last edit did not load")
    @APIResponse(responseCode = "200", description = "The rule set in force, with the files whose last edit did not load.")
    public Listing list() {
        return loader.withVocabularyErrors().map(set -> new Listing(set.rules().stream().map(RulesResource::view).toList(),
                        set.errors(), set.warnings(), set.loadedAt(), null))
                .orElseGet(() -> new Listing(List.of(), List.of(), List.of(), null, loader.unavailableReason()));
    }

    private static RuleView view(Rule r) {
        return new RuleView(r.id(), r.title(), r.file(), r.layer(),
                r.symptoms() == null ? null : r.symptoms().stream().map(Object::toString).toList(), r.target(),
                r.ondemand(), r.match().stream().map(Matcher::toString).toList(),
                r.steps().stream().map(s -> s.id() + " (" + s.type() + ")").toList(),
                r.findings().stream().map(Rule.FindingRule::id).toList(), r.runbook());
    }
}
