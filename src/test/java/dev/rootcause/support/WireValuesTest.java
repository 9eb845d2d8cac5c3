package dev.rootcause.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rootcause.diagnosis.Verdict;
import dev.rootcause.incident.Alert;
import dev.rootcause.incident.outbox.EffectKind;
import dev.rootcause.rule.Confidence;
import dev.rootcause.rule.Layer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The closed-set enums keep today's strings in JSON, text and the store, and name the allowed values when parsing fails. */
class WireValuesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void wireValuesAreTheStringsTheyReplace() {
        assertThat(Arrays.stream(Verdict.values()).map(Verdict::wire)).containsExactly("supports", "rules_out", "no_data");
        assertThat(Arrays.stream(Layer.values()).map(Layer::wire)).containsExactly("network", "application", "storage", "dependency");
        assertThat(Arrays.stream(Confidence.values()).map(Confidence::wire)).containsExactly("high", "medium", "low");
        assertThat(Arrays.stream(Alert.Status.values()).map(Alert.Status::wire)).containsExactly("firing", "resolved");
        assertThat(Arrays.stream(EffectKind.values()).map(EffectKind::wire)).containsExactly("ticket.open", "chat.report",
                "chat.thread", "chat.edit", "ticket.comment", "ticket.close", "ticket.reopen", "chat.failed");
        assertThat("confidence " + Confidence.HIGH + ", " + Verdict.RULES_OUT + ", " + EffectKind.CHAT_EDIT)
                .isEqualTo("confidence high, rules_out, chat.edit");
    }

    @Test
    void jsonIsTheWireValueBothWays() throws Exception {
        List<Object> all = List.of(Verdict.NO_DATA, Layer.DEPENDENCY, Confidence.LOW, Alert.Status.RESOLVED, EffectKind.OPEN_TICKET);
        assertThat(JSON.writeValueAsString(all)).isEqualTo("[\"no_data\",\"dependency\",\"low\",\"resolved\",\"ticket.open\"]");
        assertThat(JSON.readValue("\"rules_out\"", Verdict.class)).isEqualTo(Verdict.RULES_OUT);
        assertThat(JSON.readValue("\"storage\"", Layer.class)).isEqualTo(Layer.STORAGE);
        assertThat(JSON.readValue("\"medium\"", Confidence.class)).isEqualTo(Confidence.MEDIUM);
        assertThat(JSON.readValue("\"firing\"", Alert.Status.class)).isEqualTo(Alert.Status.FIRING);
        assertThat(JSON.readValue("\"chat.thread\"", EffectKind.class)).isEqualTo(EffectKind.CHAT_THREAD);
        assertThat(JSON.readValue("null", Verdict.class)).isNull();
    }

    @Test
    void anUnknownValueNamesTheAllowedOnes() {
        assertThatThrownBy(() -> Verdict.of("SUPPORTS")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown verdict \"SUPPORTS\"; expected one of supports, rules_out, no_data");
        assertThatThrownBy(() -> Layer.of("database")).hasMessage("unknown layer \"database\"; expected one of network, application, storage, dependency");
        assertThatThrownBy(() -> Confidence.of(null)).hasMessage("unknown confidence null; expected one of high, medium, low");
        assertThatThrownBy(() -> Alert.Status.of("pending")).hasMessage("unknown alert status \"pending\"; expected one of firing, resolved");
        assertThatThrownBy(() -> EffectKind.of("test.claim")).hasMessageStartingWith("unknown effect kind \"test.claim\"; expected one of ticket.open,");
        assertThatThrownBy(() -> JSON.readValue("\"maybe\"", Verdict.class)).hasMessageContaining("expected one of supports, rules_out, no_data");
    }
}
