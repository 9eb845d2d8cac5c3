package dev.rootcause.source.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rootcause.diagnosis.port.MetricsSourceException;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Label values come from alerts: every placement is escaped for where it stands. */
class PromQlTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', quoteCharacter = '§', value = {
        "plain                ; up{service=\"$v\"}      ; checkout    ; up{service=\"checkout\"}",
        "double quote         ; up{service=\"$v\"}      ; a\"b        ; up{service=\"a\\\"b\"}",
        "backslash and quote  ; up{service=\"$v\"}      ; a\\\"b      ; up{service=\"a\\\\\\\"b\"}",
        "closing brace        ; up{service=\"$v\"}      ; x}          ; up{service=\"x}\"}",
        "regex dot quoted     ; up{service=~\"$v\"}     ; a.b         ; up{service=~\"a\\\\.b\"}",
        "regex alternation    ; up{service=~\"$v\"}     ; a|.*        ; up{service=~\"a\\\\|\\\\.\\\\*\"}",
        "negative regex       ; up{service!~ \"$v\"}    ; a+          ; up{service!~ \"a\\\\+\"}",
        "equality no regex    ; up{service=\"$v\"}      ; a.b         ; up{service=\"a.b\"}",
        "single quotes        ; up{service='$v'}        ; it's        ; up{service='it\\'s'}",
        "duration bare        ; rate(x[$v])             ; 5m          ; rate(x[5m])",
        "number bare          ; x > $v                  ; 0.5         ; x > 0.5",
        "dollar in string     ; up{a=~\"b$\"}           ; unused      ; up{a=~\"b$\"}",
    })
    void placesValuesSafely(String name, String template, String value, String expected) throws Exception {
        assertThat(PromQl.render(template, Map.of("v", value))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', quoteCharacter = '§', value = {
        "rate(x[$v])      ; 5m] or vector(1",
        "x > $v           ; 0 or up",
        "up{a=`$v`}       ; b`c",
        "up{a=\"$w\"}     ; anything",
    })
    void refusesUnsafePlacements(String template, String value) {
        assertThatThrownBy(() -> PromQl.render(template, Map.of("v", value))).isInstanceOf(MetricsSourceException.class);
    }

    @org.junit.jupiter.api.Test
    void controlCharactersAreGoEscaped() {
        assertThat(PromQl.escapeString("a\nb", '"')).isEqualTo("a\\nb");
        assertThat(PromQl.escapeString("tab\there", '"')).isEqualTo("tab\\there");
        assertThat(PromQl.escapeString("bell\u0007", '"')).isEqualTo("bell\\a");
        assertThat(PromQl.escapeString("x\u0001y", '"')).isEqualTo("x\\x01y");
        assertThat(PromQl.escapeString("it's \"q\"", '\'')).isEqualTo("it\\'s \"q\"");
    }
}
