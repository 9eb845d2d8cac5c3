package dev.rootcause.ruletest.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code graph.json} from the graphs a diagnosis' steps recorded: every edge once, origins merged. */
class ReplayGraphTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theExportJoinsTheGraphsOfEveryStepThatReadOne() throws Exception {
        JsonNode walk = JSON.readTree("{\"query\": \"dependency graph\", \"capability\": \"graph\", \"series\": ["
                + "{\"caller\": \"frontend\", \"callee\": \"checkout\", \"origins\": [\"zipkin\"]}]}");
        JsonNode downstreams = JSON.readTree("{\"query\": \"dependency graph\", \"capability\": \"graph\", \"series\": ["
                + "{\"caller\": \"frontend\", \"callee\": \"checkout\", \"origins\": [\"skywalking\"]},"
                + "{\"caller\": \"checkout\", \"callee\": \"payments\", \"origins\": [\"skywalking\"]}]}");

        JsonNode out = ReplayGraph.export(List.of(walk, downstreams), JSON).orElseThrow();

        assertThat(out.path("edges")).hasSize(2);
        assertThat(out.path("edges").get(0).path("callee").asText()).isEqualTo("checkout");
        assertThat(out.path("edges").get(0).path("origins").toString()).isEqualTo("[\"zipkin\",\"skywalking\"]");
        assertThat(out.path("edges").get(1).path("callee").asText()).isEqualTo("payments");
    }

    @Test
    void noRecordedGraphWritesNoFile() {
        assertThat(ReplayGraph.export(List.of(), JSON)).isEmpty();
    }
}
