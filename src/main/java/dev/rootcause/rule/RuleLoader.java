package dev.rootcause.rule;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Loads {@code *.yaml} from {@code rootcause.rules.dir} at start, one rule per file ({@link RuleParser}
 * checks it); rule ids are unique. Problems are reported as {@code file:line: message} and that file is
 * left out; the other files still load.
 */
@ApplicationScoped
public class RuleLoader {

    private static final Logger LOG = Logger.getLogger(RuleLoader.class);

    private final RulesConfig config;
    private final StepTypes stepTypes;
    private final Clock clock;
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    private volatile RuleSet current;
    private volatile String unavailable = "not loaded yet";

    RuleLoader(RulesConfig config, StepTypes stepTypes, Clock clock) {
        this.config = config;
        this.stepTypes = stepTypes;
        this.clock = clock;
    }

    void onStart(@Observes StartupEvent event) {
        reload();
    }

    /** The rule set in force, or empty when none could be loaded (see {@link #unavailableReason()}). */
    public Optional<RuleSet> current() {
        return Optional.ofNullable(current);
    }

    /** Why there is no rule set, when there is none. */
    public String unavailableReason() {
        return unavailable;
    }

    /** Reads the rules folder again; keeps the previous set when the folder cannot be read. */
    public synchronized void reload() {
        Path dir = config.dir().toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            unavailable = "rules folder " + dir + " does not exist (rootcause.rules.dir)";
            LOG.error(unavailable);
            return;
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            unavailable = "rules folder " + dir + " is unreadable: " + e.getMessage();
            LOG.error(unavailable);
            return;
        }
        List<Rule> rules = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Path file : files) {
            String name = dir.relativize(file).toString();
            try {
                String text = Files.readString(file);
                Rule rule = new RuleParser(name, text, stepTypes.names(), config.vars().keySet(), yaml)
                        .parse(yaml.readTree(text));
                if (!ids.add(rule.id())) {
                    errors.add(name + ":1: rule id \"" + rule.id() + "\" is already used by another file");
                } else {
                    rules.add(rule);
                }
            } catch (RuleParser.RuleException e) {
                errors.add(e.getMessage());
            } catch (JsonProcessingException e) {
                JsonLocation at = e.getLocation();
                errors.add(name + ":" + (at == null ? 1 : at.getLineNr()) + ": " + e.getOriginalMessage());
            } catch (IOException e) {
                errors.add(name + ":1: unreadable: " + e.getMessage());
            }
        }
        errors.forEach(LOG::error);
        current = new RuleSet(rules, errors, clock.instant());
        unavailable = null;
        LOG.infof("loaded %d rule(s) from %s, %d error(s)", rules.size(), dir, errors.size());
    }

}
