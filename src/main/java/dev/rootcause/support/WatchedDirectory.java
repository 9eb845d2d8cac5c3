package dev.rootcause.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A folder of configuration files, one item per file, read again when any of them changes (hot reload).
 * A file with a mistake keeps its last good version; a file never read well contributes nothing; a deleted
 * file's item goes. Changes are found by content, as in {@link WatchedFile} (which says why not
 * {@code WatchService}). Not thread-safe: the owner reads and commits under its own lock.
 *
 * <p>A read is two steps, {@link #scan()} then {@link #commit(Map)}, so the owner can leave out files for
 * reasons of its own (two files claiming one id) before their versions count as good.
 *
 * @param <T> what one file holds once parsed
 */
public final class WatchedDirectory<T> {

    /** Parses one file; throws {@link FileMistake} ({@code name:line: message}) or IOException. */
    @FunctionalInterface
    public interface Parser<T> {
        T parse(Path file, String name) throws IOException;
    }

    /**
     * One read of the folder.
     *
     * @param items  file name → its new item or, when it has a mistake now, its last good one; by file name
     * @param errors {@code name:line: message} per file with a mistake, in file-name order
     */
    public record Scan<T>(Map<String, T> items, List<String> errors) {
    }

    private final Path dir;
    private final Predicate<Path> filter;
    private final Parser<T> parser;
    private final String kept;
    /** File name → its last version read without a mistake. */
    private Map<String, T> lastGood = new HashMap<>();
    private volatile Map<String, String> seen = Map.of();
    private Map<String, String> scanned = Map.of();

    /**
     * @param dir    the folder (only its own files; subfolders are not read)
     * @param filter which files are items
     * @param parser reads one file
     * @param kept   the note added to an error while a good version stays, e.g. {@code the previous version of this file stays in force}
     */
    public WatchedDirectory(Path dir, Predicate<Path> filter, Parser<T> parser, String kept) {
        this.dir = dir.toAbsolutePath().normalize();
        this.filter = filter;
        this.parser = parser;
        this.kept = kept;
    }

    /** The folder, absolute. */
    public Path dir() {
        return dir;
    }

    /** Whether any item file was added, changed or removed since the last {@link #commit}. */
    public boolean changed() {
        return !fingerprint().equals(seen);
    }

    /**
     * Reads every item file.
     *
     * @throws NoSuchFileException when the folder does not exist (then {@link #changed()} stays false until it does)
     * @throws IOException         when the folder cannot be listed
     */
    public Scan<T> scan() throws IOException {
        scanned = fingerprint();
        if (!Files.isDirectory(dir)) {
            seen = scanned;
            throw new NoSuchFileException(dir.toString());
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(filter).sorted().toList();
        }
        // Files are parsed in parallel (rules compile CEL and PromQL: most of the start-up's own work, issue 23);
        // the results are taken in file order, so the scan reads as a sequential one would.
        List<Object> parsed = files.parallelStream().map(file -> parseOne(file, dir.relativize(file).toString())).toList();
        Map<String, T> items = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            String name = dir.relativize(files.get(i)).toString();
            Object result = parsed.get(i);
            if (result instanceof FileMistake e) {
                errors.add(e.getMessage() + keeping(name));
            } else if (result instanceof IOException e) {
                errors.add(name + ":1: unreadable: " + e.getMessage() + keeping(name));
            } else {
                @SuppressWarnings("unchecked")
                T item = (T) result;
                items.put(name, item);
                continue;
            }
            if (lastGood.containsKey(name)) {
                items.put(name, lastGood.get(name));
            }
        }
        return new Scan<>(items, errors);
    }

    /** The parsed item, or the {@link FileMistake} or {@link IOException} that says why not. */
    private Object parseOne(Path file, String name) {
        try {
            return parser.parse(file, name);
        } catch (FileMistake | IOException e) {
            return e;
        }
    }

    /** The items now in force become the last good versions, and the folder as scanned is the one seen. */
    public void commit(Map<String, T> good) {
        lastGood = new HashMap<>(good);
        seen = scanned;
    }

    private String keeping(String name) {
        return lastGood.containsKey(name) ? " (" + kept + ")" : "";
    }

    /** File name → size and content hash of each item file. */
    private Map<String, String> fingerprint() {
        Map<String, String> out = new HashMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : list.filter(filter).toList()) {
                out.put(p.getFileName().toString(), WatchedFile.fingerprint(p));
            }
        } catch (IOException e) {
            out.put("<unreadable>", e.getMessage());
        }
        return out;
    }
}
