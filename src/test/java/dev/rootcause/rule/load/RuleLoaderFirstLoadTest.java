package dev.rootcause.rule.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rootcause.rule.RulesConfig;
import dev.rootcause.rule.StepTypes;
import dev.rootcause.rule.vocabulary.SymptomVocabulary;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RuleLoader#firstLoadEnded()} tells start-up ordering ("not loaded yet": wait) from a lasting absence of
 * rules (a missing folder: reported), which the diagnosis worker acts on differently.
 */
class RuleLoaderFirstLoadTest {

    @TempDir
    Path tmp;

    @Test
    void theFirstLoadEndsAlsoWhenItFindsNoRules() {
        RuleLoader loader = loader(tmp.resolve("no-such-folder"));
        assertThat(loader.firstLoadEnded()).isFalse();
        assertThat(loader.unavailableReason()).isEqualTo("not loaded yet");

        loader.reload();
        assertThat(loader.firstLoadEnded()).isTrue();
        assertThat(loader.current()).isEmpty();
        assertThat(loader.unavailableReason()).contains("does not exist");
    }

    @Test
    void theFirstLoadEndsWithTheRuleSet() {
        RuleLoader loader = loader(tmp);
        assertThat(loader.firstLoadEnded()).isFalse();
        loader.reload();
        assertThat(loader.firstLoadEnded()).isTrue();
        assertThat(loader.current()).isPresent();
    }

    private static RuleLoader loader(Path dir) {
        RulesConfig config = (RulesConfig) Proxy.newProxyInstance(RulesConfig.class.getClassLoader(), new Class<?>[] {RulesConfig.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "dir" -> dir;
                    case "vars" -> Map.of();
                    default -> throw new AssertionError("unexpected " + method.getName());
                });
        StepTypes steps = (StepTypes) Proxy.newProxyInstance(StepTypes.class.getClassLoader(), new Class<?>[] {StepTypes.class},
                (proxy, method, args) -> {
                    throw new AssertionError("no rule file to check");
                });
        return new RuleLoader(config, steps, Clock.systemUTC(), SymptomVocabulary.load(Path.of("rules", "symptoms.yaml")));
    }
}
