package dev.rootcause.diagnosis;

import java.util.List;

/**
 * A rule's interpretation of evidence.
 *
 * @param rule       the rule id
 * @param id         the finding id within the rule
 * @param verdict    {@code supports}, {@code rules_out} or {@code no_data}
 * @param layer      {@code network}, {@code application}, {@code storage} or {@code dependency}
 * @param cause      the cause text with the evidence's numbers filled in; null for {@code no_data}
 * @param confidence declared confidence ({@code high}, {@code medium}, {@code low})
 * @param cites      step ids of the evidence it rests on
 * @param reason     for {@code no_data}: what was missing; for {@code rules_out}: the condition not met and the
 *                   values it read
 */
public record Finding(String rule, String id, String verdict, String layer, String cause, String confidence,
        List<String> cites, String reason) {

    public static final String SUPPORTS = "supports";
    public static final String RULES_OUT = "rules_out";
    public static final String NO_DATA = "no_data";

    public Finding {
        cites = List.copyOf(cites);
    }
}
