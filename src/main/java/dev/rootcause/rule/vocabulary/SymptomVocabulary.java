package dev.rootcause.rule.vocabulary;

import dev.rootcause.alert.reading.Vocabulary;
import dev.rootcause.rule.RulesConfig;
import dev.rootcause.support.FileMistake;
import dev.rootcause.support.WatchedFile;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The symptom vocabulary, {@code symptoms.yaml} in the rules folder ({@link Vocabulary#FILE}): what metric
 * names, matchers, functions and words mean as symptoms, and which labels name an alert's target
 * (docs/alert-reading.md; schema rules/symptoms.schema.json).
 *
 * <p>Hot-reloaded like the rules ({@code rootcause.rules.reload-interval}); a file with a mistake is reported
 * as {@code symptoms.yaml:line: message} and the last good vocabulary stays in force. A missing file is an
 * empty vocabulary: only pinned symptoms are read.
 */
@ApplicationScoped
public class SymptomVocabulary {

    private static final Logger LOG = Logger.getLogger(SymptomVocabulary.class);

    /**
     * What is in force.
     *
     * @param vocabulary the vocabulary read last without a mistake (or empty)
     * @param errors     {@code symptoms.yaml:line: message} of the last load, empty when it loaded well
     * @param loadedAt   when the file was last read
     */
    public record Snapshot(Vocabulary vocabulary, List<String> errors, Instant loadedAt) {
        public Snapshot {
            errors = List.copyOf(errors);
        }
    }

    private final WatchedFile<Vocabulary> file;
    private volatile Snapshot current;
    private volatile boolean loaded;

    @Inject
    SymptomVocabulary(RulesConfig config, Clock clock) {
        this(config.dir().resolve(Vocabulary.FILE), clock);
    }

    SymptomVocabulary(Path file, Clock clock) {
        this.file = new WatchedFile<>(file, SymptomVocabularyParser::parse, Vocabulary.EMPTY,
                new WatchedFile.Wording<>("symptom vocabulary", "alerts are read by their pinned symptoms only",
                        "the previous vocabulary stays in force",
                        v -> "a symptom vocabulary of " + v.expression().size() + " expression entries"), clock, LOG);
        this.current = new Snapshot(Vocabulary.EMPTY, List.of(), clock.instant());
    }

    /**
     * A vocabulary read once from a file, for tools ({@code rules test}, {@code alerts classify}) and tests.
     *
     * @throws FileMistake {@code symptoms.yaml:line: message} when the file has a mistake
     */
    public static SymptomVocabulary load(Path file) {
        SymptomVocabulary v = new SymptomVocabulary(file, Clock.systemUTC());
        v.reload();
        if (!v.current.errors().isEmpty()) {
            throw new FileMistake(v.current.errors().get(0));
        }
        return v;
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

    /** The vocabulary in force (read on first use when start-up has not read it yet). */
    public Vocabulary current() {
        return snapshot().vocabulary();
    }

    /** The vocabulary in force and the errors of the last load. */
    public Snapshot snapshot() {
        if (!loaded) {
            reload();
        }
        return current;
    }

    /** Re-reads the file when it changed (hot reload). */
    @Scheduled(every = "${rootcause.rules.reload-interval:2s}", delay = 2, delayUnit = java.util.concurrent.TimeUnit.SECONDS,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void watch() {
        if (file.changed()) {
            reload();
        }
    }

    /** Reads the file again; a file with a mistake keeps the previous vocabulary in force. */
    public synchronized void reload() {
        loaded = true;
        WatchedFile.Loaded<Vocabulary> read = file.reload();
        current = new Snapshot(read.value(), read.errors(), read.loadedAt());
    }
}
