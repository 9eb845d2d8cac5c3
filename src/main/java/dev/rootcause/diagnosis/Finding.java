package dev.rootcause.diagnosis;

import dev.rootcause.rule.Confidence;
import dev.rootcause.rule.Layer;
import java.time.Instant;
import java.util.List;

/**
 * A rule's interpretation of evidence.
 *
 * @param rule        the rule id
 * @param id          the finding id within the rule
 * @param verdict     what it concluded
 * @param layer       the rule's layer
 * @param cause       the cause text with the evidence's numbers filled in; null for {@code no_data}
 * @param confidence  the rule's declared confidence
 * @param cites       step ids of the evidence it rests on
 * @param reason      for {@code no_data}: what was missing; for {@code rules_out}: the condition not met and the
 *                    values it read
 * @param onset       when what it blames began: the earliest {@code onset} value (RFC 3339) of its cited evidence
 *                    that ended ok, e.g. a change's time or the first sample where a metric crossed to its new
 *                    level; null when none of its evidence can tell (a probe made at diagnosis time)
 * @param scope       how widely its evidence saw the trouble, from the cited evidence's {@code scope} value:
 *                    {@code one} (a single downstream), {@code several} (two or more downstreams together and none
 *                    alone, which points at what they share: the caller itself); null when the evidence does not say
 * @param scopeDetail the cited evidence's {@code scope_detail}, e.g. "all 3 downstreams on the critical path slowed
 *                    together: auth (+180.0 ms), ..."; null when none
 */
public record Finding(String rule, String id, Verdict verdict, Layer layer, String cause, Confidence confidence,
        List<String> cites, String reason, Instant onset, String scope, String scopeDetail) {

    /** {@link #scope()}: a single downstream. */
    public static final String SCOPE_ONE = "one";
    /** {@link #scope()}: two or more downstreams together, none alone. */
    public static final String SCOPE_SEVERAL = "several";

    public Finding {
        cites = List.copyOf(cites);
    }

    /** A finding whose evidence tells neither onset nor scope. */
    public Finding(String rule, String id, Verdict verdict, Layer layer, String cause, Confidence confidence,
            List<String> cites, String reason) {
        this(rule, id, verdict, layer, cause, confidence, cites, reason, null, null, null);
    }

    /** {@code rule/id}, as reports name a finding. */
    public String name() {
        return rule + "/" + id;
    }
}
