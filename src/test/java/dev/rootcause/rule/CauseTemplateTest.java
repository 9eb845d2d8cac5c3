package dev.rootcause.rule;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CauseTemplateTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0.034 | pct  | 3.4%",
        "0.98765 | pct | 98.8%",
        "31.25 | x    | 31.3×",
        "12.345 | rate | 12.3/s",
        "1234.5 | num | 1235",
        "0.000123456 | num | 0.000123",
        "0 | pct | 0%",
    })
    void formatsNumbers(double value, String format, String expected) {
        assertThat(CauseTemplate.format(value, format)).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void rendersStepValuesAndVars() {
        var lookup = CauseTemplate.lookup(Map.of("a", Map.of("before", 0.9, "after", Double.NaN)), Map.of("service", "cart"));
        assertThat(CauseTemplate.render("{service}: {a.before|pct} → {a.after|pct}, {a.missing}", lookup))
                .isEqualTo("cart: 90% → n/a, n/a");
        assertThat(CauseTemplate.format(Double.POSITIVE_INFINITY, "x")).isEqualTo("∞");
    }
}
