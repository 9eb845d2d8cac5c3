package dev.rootcause.rule.load;

import dev.rootcause.alert.reading.Vocabulary;
import dev.rootcause.rule.MetricConventions;
import dev.rootcause.rule.Rule;
import dev.rootcause.rule.RuleSet;
import dev.rootcause.rule.RulesConfig;
import dev.rootcause.rule.ServiceCatalogue;
import dev.rootcause.rule.StepTypes;
import dev.rootcause.rule.RuleException;
import dev.rootcause.rule.vocabulary.SymptomVocabulary;
import dev.rootcause.support.WatchedDirectory;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Loads {@code *.yaml} from {@code rootcause.rules.dir} at start and whenever a file changes, one rule
 * per file ({@link RuleParser} checks it); rule ids are unique. Problems are reported as
 * {@code file:line: message}; a broken file never replaces its last good version. A rule that loads but is likely a
 * mistake ({@link RuleWarnings}: no {@code symptoms:}) is warned about once per file per load.
 */
@ApplicationScoped
public class RuleLoader {

    private static final Logger LOG = Logger.getLogger(RuleLoader.class);

    private final RulesConfig config;
    private final StepTypes stepTypes;
    private final Clock clock;
    private final SymptomVocabulary vocabulary;
    private volatile RuleSet current;
    private volatile String unavailable = "not loaded yet";
    private volatile boolean attempted;
    private WatchedDirectory<Rule> folder;

    RuleLoader(RulesConfig config, StepTypes stepTypes, Clock clock, SymptomVocabulary vocabulary) {
        this.config = config;
        this.stepTypes = stepTypes;
        this.clock = clock;
        this.vocabulary = vocabulary;
    }

    /**
     * The rules in force with the symptom vocabulary's load errors among their errors: a broken {@code symptoms.yaml}
     * decides how every alert is read, so {@code GET /api/v1/rules} and readiness show it beside the rule files'.
     */
    public Optional<RuleSet> withVocabularyErrors() {
        List<String> vocabularyErrors = vocabulary.snapshot().errors();
        return current().map(set -> vocabularyErrors.isEmpty() ? set : new RuleSet(set.rules(),
                java.util.stream.Stream.concat(set.errors().stream(), vocabularyErrors.stream()).toList(), set.warnings(), set.loadedAt()));
    }

    void onStart(@Observes StartupEvent event) {
        loadOnce();
    }

    /** The first load, unless the file watcher did it already (it can fire while start-up is still running). */
    private synchronized void loadOnce() {
        if (current == null) {
            reload();
        }
    }

    /** The rule set in force, or empty when none could be loaded (see {@link #unavailableReason()}). */
    public Optional<RuleSet> current() {
        return Optional.ofNullable(current);
    }

    /**
     * Whether the first load has ended, well or not: false only during start-up, before {@link #reload()} first
     * returned. A diagnosis before then would fail for start-up ordering alone ({@code not loaded yet}), so the
     * diagnosis worker waits for this; after it, no rule set means a missing or unreadable folder, which is reported.
     */
    public boolean firstLoadEnded() {
        return attempted;
    }

    /** Why there is no rule set, when there is none. */
    public String unavailableReason() {
        return unavailable;
    }

    /** Looks for changed rule files and reloads when there are any (hot reload; no restart needed). */
    @Scheduled(every = "${rootcause.rules.reload-interval:2s}", delay = 2, delayUnit = java.util.concurrent.TimeUnit.SECONDS,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void watch() {
        if (config.dir() == null) {
            return;
        }
        if (folder().changed()) {
            LOG.infof("rule files changed in %s; reloading", config.dir());
            reload();
        }
    }

    /**
     * Reads the rules folder again. A file with a mistake keeps its last good version in force (its
     * error is reported beside it); a file never loaded well contributes nothing; a deleted file's rule
     * goes. When the folder itself cannot be read, the previous set stays.
     */
    public synchronized void reload() {
        try {
            load();
        } finally {
            attempted = true;
        }
    }

    private void load() {
        WatchedDirectory<Rule> folder = folder();
        Path dir = folder.dir();
        WatchedDirectory.Scan<Rule> scan;
        try {
            scan = folder.scan();
        } catch (NoSuchFileException e) {
            unavailable = "rules folder " + dir + " does not exist (rootcause.rules.dir)";
            LOG.error(unavailable);
            return;
        } catch (IOException e) {
            unavailable = "rules folder " + dir + " is unreadable: " + e.getMessage();
            LOG.error(unavailable);
            return;
        }
        List<String> errors = new ArrayList<>(scan.errors());
        Map<String, Rule> good = new HashMap<>(scan.items());
        // One rule per id. The file whose rule is in force keeps the id; a new file claiming it is left out.
        Map<String, String> owner = new HashMap<>();
        current().ifPresent(set -> set.rules().forEach(r -> owner.put(r.id(), r.file())));
        Map<String, String> claimed = new HashMap<>();
        scan.items().forEach((name, rule) -> {
            if (name.equals(owner.get(rule.id()))) {
                claimed.put(rule.id(), name);
            }
        });
        List<Rule> rules = new ArrayList<>();
        scan.items().forEach((name, rule) -> {
            String holder = claimed.putIfAbsent(rule.id(), name);
            if (holder == null || holder.equals(name)) {
                rules.add(rule);
            } else {
                errors.add(name + ":1: rule id \"" + rule.id() + "\" is already used by " + holder + "; this file is left out");
                good.remove(name);
            }
        });
        errors.forEach(LOG::error);
        List<String> warnings = new ArrayList<>();
        rules.forEach(r -> warnings.addAll(RuleWarnings.of(r)));
        warnings.forEach(LOG::warn);
        folder.commit(good);
        current = new RuleSet(rules, errors, warnings, clock.instant());
        unavailable = null;
        LOG.infof("loaded %d rule(s) from %s, %d error(s), %d warning(s)", rules.size(), dir, errors.size(), warnings.size());
    }

    /**
     * A {@code *.yaml} file other than the service catalogue ({@link ServiceCatalogue#FILE}), the metric conventions
     * and the symptom vocabulary ({@link Vocabulary#FILE}), which have loaders of their own.
     */
    public static boolean isRuleFile(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".yaml") && !name.equals(ServiceCatalogue.FILE) && !name.equals(MetricConventions.FILE)
                && !name.equals(Vocabulary.FILE);
    }

    /** The rule, or a {@link RuleException} when it names a symptom no alert can be read as (its last good version stays). */
    private Rule checked(Rule rule, Path file) {
        Optional<String> mistake = RuleWarnings.unreadable(rule, readable(vocabulary.current()), lineOf(file, "symptoms:"));
        if (mistake.isPresent()) {
            throw new RuleException(mistake.get());
        }
        return rule;
    }

    /** The symptoms a vocabulary can read an alert as: those its expression entries and words name. */
    public static java.util.Set<String> readable(Vocabulary v) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        v.expression().forEach(e -> e.symptoms().forEach(s -> out.add(s.name())));
        v.words().forEach(w -> out.add(w.symptom().name()));
        return out;
    }

    /** The 1-based line of the first line starting with {@code key}, else 1. */
    static int lineOf(Path file, String key) {
        try {
            List<String> lines = java.nio.file.Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).startsWith(key)) {
                    return i + 1;
                }
            }
        } catch (IOException e) {
            // the parser read it a moment ago; line 1 still names the file
        }
        return 1;
    }

    /** The rules folder, created on first use: {@code rootcause.rules.dir} is read when first needed. */
    private synchronized WatchedDirectory<Rule> folder() {
        if (folder == null) {
            folder = new WatchedDirectory<>(config.dir(), RuleLoader::isRuleFile,
                    (file, name) -> checked(RuleParser.parseFile(file, name, stepTypes, config.vars().keySet()), file),
                    "the previous version of this file stays in force");
        }
        return folder;
    }
}
