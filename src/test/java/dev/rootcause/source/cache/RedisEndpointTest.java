package dev.rootcause.source.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Redis URLs as operators write them; the password never shows in the address or an error. */
class RedisEndpointTest {

    static final Duration T = Duration.ofSeconds(2);

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "redis://cache.internal          | cache.internal | 6379 | 0 | false | -     | -",
            "redis://10.0.0.5:6380/3         | 10.0.0.5       | 6380 | 3 | false | -     | -",
            "rediss://cache.internal:6380/   | cache.internal | 6380 | 0 | true  | -     | -",
            "redis://:p%40ss@h:1/0           | h              | 1    | 0 | false | -     | p@ss",
            "redis://alice:pw@h:1            | h              | 1    | 0 | false | alice | pw",
            "redis://onlypw@h:1              | h              | 1    | 0 | false | -     | onlypw"})
    void parses(String url, String host, int port, int db, boolean tls, String user, String password) {
        RedisEndpoint ep = RedisEndpoint.of(url, Optional.empty(), Optional.empty(), T);
        assertThat(ep.host()).isEqualTo(host);
        assertThat(ep.port()).isEqualTo(port);
        assertThat(ep.database()).isEqualTo(db);
        assertThat(ep.tls()).isEqualTo(tls);
        assertThat(ep.username()).isEqualTo(Optional.ofNullable(user));
        assertThat(ep.password()).isEqualTo(Optional.ofNullable(password));
        assertThat(ep.address()).doesNotContain("@").startsWith(tls ? "rediss://" : "redis://");
        if (password != null) {
            assertThat(ep.toString()).doesNotContain(password);
        }
    }

    @Test
    void configuredCredentialsWinOverTheUrls() {
        RedisEndpoint ep = RedisEndpoint.of("redis://u:urlpw@h:1", Optional.of("svc"), Optional.of("cfgpw"), T);
        assertThat(ep.username()).contains("svc");
        assertThat(ep.password()).contains("cfgpw");
        assertThat(ep.scrub("AUTH svc cfgpw failed")).isEqualTo("AUTH svc *** failed");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "http://h:1           | scheme must be redis:// or rediss://, got http",
            "redis://h:1/zero     | database must be a number, got /zero",
            "h:1                  | scheme must be redis:// or rediss://, got h",
            "redis://:secretpw@/0 | no host"})
    void rejectsWithoutEchoingSecrets(String url, String message) {
        assertThatThrownBy(() -> RedisEndpoint.of(url, Optional.empty(), Optional.empty(), T))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(message.strip())
                .message().doesNotContain("secretpw");
    }
}
