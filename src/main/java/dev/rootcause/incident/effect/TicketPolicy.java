package dev.rootcause.incident.effect;

import dev.rootcause.diagnosis.Diagnosis;
import dev.rootcause.rule.Rule;
import dev.rootcause.rule.load.RuleLoader;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Decides whether an incident gets a ticket. A rule that matched the alert may say {@code ticket: always}
 * or {@code ticket: never} in its file; {@code always} wins over {@code never} (a ticket too many is
 * cheaper than a lost one). Otherwise the incident's severity must be listed in
 * {@code rootcause.tickets.open-for} (comma-separated, case-insensitive; {@code *} = every severity,
 * including none; {@code none} = incidents without a severity label).
 */
@ApplicationScoped
public class TicketPolicy {

    /** The decision and why, for the timeline when no ticket is opened. */
    public record Decision(boolean open, String reason) {
    }

    private final List<String> openFor;
    private final RuleLoader rules;

    TicketPolicy(@ConfigProperty(name = "rootcause.tickets.open-for", defaultValue = "*") List<String> openFor, RuleLoader rules) {
        this.openFor = openFor.stream().map(s -> s.strip().toLowerCase(Locale.ROOT)).toList();
        this.rules = rules;
    }

    /**
     * @param severity  the incident's severity label, or null
     * @param diagnosis the diagnosis whose rules may override; its {@code rules()} are rule ids
     */
    public Decision decide(String severity, Diagnosis diagnosis) {
        Map<String, Rule> byId = rules.current().map(set -> set.rules().stream()
                .collect(Collectors.toMap(Rule::id, Function.identity(), (a, b) -> a))).orElse(Map.of());
        List<Rule> ran = diagnosis.rules().stream().map(byId::get).filter(r -> r != null && r.ticket() != null).toList();
        for (Rule r : ran) {
            if ("always".equals(r.ticket())) {
                return new Decision(true, "rule " + r.id() + " says ticket: always");
            }
        }
        if (!ran.isEmpty()) {
            return new Decision(false, "rule " + ran.get(0).id() + " says ticket: never");
        }
        String s = severity == null || severity.isBlank() ? "none" : severity.toLowerCase(Locale.ROOT);
        if (openFor.contains("*") || openFor.contains(s)) {
            return new Decision(true, "severity " + s + " is in rootcause.tickets.open-for");
        }
        return new Decision(false, "severity " + s + " is not in rootcause.tickets.open-for ("
                + String.join(",", openFor) + ")");
    }
}
