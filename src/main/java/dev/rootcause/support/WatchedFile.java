package dev.rootcause.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * One configuration file read again when its content changes (hot reload), keeping the last good content
 * when the new one has a mistake. The owner polls {@link #changed()} on its schedule (the Quarkus scheduler)
 * and calls {@link #reload()}.
 *
 * <p>Changes are found by content (size and hash), not by {@code java.nio.file.WatchService} nor mtime:
 * Kubernetes ConfigMap volumes swap a symlink (no event on the file), bind mounts from a Mac deliver no
 * events, and an mtime has a one-second grain on some filesystems, too coarse for two quick edits.
 *
 * @param <T> what the file holds once parsed
 */
public final class WatchedFile<T> {

    /**
     * What one read gave.
     *
     * @param value    the content in force: the new one, the last good one when the file has a mistake,
     *                 or the empty value when the file is missing
     * @param errors   {@code file:line: message} of this read, empty when it went well
     * @param loadedAt when the file was read
     */
    public record Loaded<T>(T value, List<String> errors, Instant loadedAt) {
        public Loaded {
            errors = List.copyOf(errors);
        }
    }

    /** Parses a file's text; throws {@link FileMistake} ({@code name:line: message}) when it has a mistake. */
    @FunctionalInterface
    public interface Parser<T> {
        T parse(String name, String text);
    }

    /**
     * How the owner names things in its log.
     *
     * @param what    e.g. {@code service catalogue}, for {@code no service catalogue at <path>: <missing>}
     *                and {@code <path> changed; reloading the service catalogue}
     * @param missing what a missing file means for the service, e.g. {@code probes have no dependencies to reach}
     * @param kept    the note added to an error while a good version stays, e.g. {@code the previous catalogue stays in force}
     * @param count   the loaded content in a few words, for {@code loaded <count> from <path>}
     */
    public record Wording<T>(String what, String missing, String kept, Function<T, String> count) {
    }

    private final Path file;
    private final String name;
    private final Parser<T> parser;
    private final T empty;
    private final Wording<T> wording;
    private final Clock clock;
    private final Logger log;
    private T lastGood;
    private volatile String seen = "";

    /**
     * @param file    the file; it need not exist
     * @param parser  reads its text; the name given to it (and used in messages) is the file name
     * @param empty   the content while the file is missing
     * @param wording the owner's words for its log lines
     * @param clock   stamps {@link Loaded#loadedAt()}
     * @param log     the owner's logger, so lines keep the owner's category
     */
    public WatchedFile(Path file, Parser<T> parser, T empty, Wording<T> wording, Clock clock, Logger log) {
        this.file = file;
        this.name = file.getFileName().toString();
        this.parser = parser;
        this.empty = Objects.requireNonNull(empty, "empty");
        this.wording = wording;
        this.clock = clock;
        this.log = log;
        this.lastGood = empty;
    }

    /** Whether the content differs from the last {@link #reload()}; logs that it changed when it does. */
    public boolean changed() {
        if (fingerprint(file).equals(seen)) {
            return false;
        }
        log.infof("%s changed; reloading the %s", file, wording.what());
        return true;
    }

    /**
     * Reads the file. A missing file gives the empty content; an unreadable one or one with a mistake gives
     * the last good content and the error ({@code name:line: message}, logged too).
     */
    public synchronized Loaded<T> reload() {
        seen = fingerprint(file);
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            log.infof("no %s at %s: %s", wording.what(), file.toAbsolutePath(), wording.missing());
            lastGood = empty;
            return new Loaded<>(empty, List.of(), clock.instant());
        } catch (IOException e) {
            return keep(name + ":1: unreadable: " + e.getMessage());
        }
        try {
            T value = parser.parse(name, text);
            lastGood = value;
            log.infof("loaded %s from %s", wording.count().apply(value), file);
            return new Loaded<>(value, List.of(), clock.instant());
        } catch (FileMistake e) {
            return keep(e.getMessage());
        }
    }

    private Loaded<T> keep(String error) {
        String message = error + (lastGood.equals(empty) ? "" : " (" + wording.kept() + ")");
        log.error(message);
        return new Loaded<>(lastGood, List.of(message), clock.instant());
    }

    /** Size and content hash, or a word for a missing or unreadable file. */
    static String fingerprint(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            return bytes.length + "#" + java.util.Arrays.hashCode(bytes);
        } catch (NoSuchFileException e) {
            return "missing";
        } catch (IOException e) {
            return "unreadable: " + e.getMessage();
        }
    }
}
