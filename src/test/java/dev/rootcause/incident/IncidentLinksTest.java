package dev.rootcause.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@code rootcause.external-url}: absolute links with it, paths without, and a bad value named at start. */
class IncidentLinksTest {

    @Test
    void anExternalUrlMakesEveryLinkAbsolute() {
        IncidentLinks links = IncidentLinks.of("https://rootcause.example/ops/");
        assertThat(links.absolute()).isTrue();
        assertThat(links.incident(12)).isEqualTo("https://rootcause.example/ops/incidents/12");
        assertThat(links.absoluteIncident(12)).contains("https://rootcause.example/ops/incidents/12");
        assertThat(links.link("/login")).isEqualTo("https://rootcause.example/ops/login");
    }

    @Test
    void withoutOneLinksArePathsAndChatGetsNone() {
        IncidentLinks links = IncidentLinks.of(null);
        assertThat(links.absolute()).isFalse();
        assertThat(links.incident(12)).isEqualTo("/incidents/12");
        assertThat(links.absoluteIncident(12)).isEmpty();
        assertThat(IncidentLinks.of(" ").absolute()).isFalse();
    }

    @Test
    void aValueThatIsNoHttpUrlIsRefusedNamingTheKey() {
        for (String bad : new String[] {"rootcause.example", "ftp://rootcause.example", "https://x.example/?a=1", "javascript:alert(1)"}) {
            assertThatThrownBy(() -> IncidentLinks.of(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("rootcause.external-url: ");
        }
    }
}
