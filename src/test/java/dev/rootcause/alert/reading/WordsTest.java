package dev.rootcause.alert.reading;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class WordsTest {

    @Test
    void splitsCamelCaseWithAcronymsSnakeKebabAndDots() {
        assertThat(Words.of("HTTPRequestsSlow")).containsExactly("http", "requests", "slow");
        assertThat(Words.of("kube_pod-crash.looping")).containsExactly("kube", "pod", "crash", "looping");
        assertThat(Words.of("P99LatencyHigh")).containsExactly("p99", "p", "99", "latency", "high");
        assertThat(Words.of("Http5xxErrors")).containsExactly("http5xx", "http", "5xx", "errors");
    }

    @Test
    void findsWholeWordsNeverSubstrings() {
        assertThat(Words.find(Words.of("PaymentCallsSlow"), List.of("ssl"))).isEqualTo(-1);
        assertThat(Words.find(Words.of("RequestsSlow"), List.of("ssl"))).isEqualTo(-1);
        assertThat(Words.find(Words.of("RedisKeysEvicted"), List.of("disk"))).isEqualTo(-1);
        assertThat(Words.find(Words.of("RedisKeysEvicted"), List.of("evicted"))).isEqualTo(2);
    }

    @Test
    void phrasesAndPlurals() {
        assertThat(Words.find(Words.of("Redis cache hit ratio is low"), List.of("hit", "ratio"))).isEqualTo(2);
        assertThat(Words.find(Words.of("HighErrors"), List.of("error"))).isEqualTo(1);
        assertThat(Words.find(Words.of("HighLatencies"), List.of("latency"))).isEqualTo(1);
        assertThat(Words.find(Words.of("hit the ratio"), List.of("hit", "ratio"))).isEqualTo(-1);
    }
}
