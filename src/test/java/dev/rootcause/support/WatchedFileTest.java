package dev.rootcause.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchedFileTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    /** Lines of words; a line "oops" is a mistake on that line. */
    private static List<String> words(String name, String text) {
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).equals("oops")) {
                throw new FileMistake(name + ":" + (i + 1) + ": oops is not a word");
            }
        }
        return lines;
    }

    private WatchedFile<List<String>> watched(Path file) {
        return new WatchedFile<>(file, WatchedFileTest::words, List.of(),
                new WatchedFile.Wording<>("word list", "nothing to say", "the previous list stays in force", w -> w.size() + " word(s)"),
                CLOCK, Logger.getLogger(WatchedFileTest.class));
    }

    @Test
    void aMistakeKeepsTheLastGoodContentAndSaysWhere() throws IOException {
        Path file = dir.resolve("words.yaml");
        WatchedFile<List<String>> w = watched(file);
        assertThat(w.reload()).isEqualTo(new WatchedFile.Loaded<>(List.of(), List.of(), CLOCK.instant()));

        Files.writeString(file, "a\nb\n");
        assertThat(w.changed()).isTrue();
        assertThat(w.reload().value()).containsExactly("a", "b");
        assertThat(w.changed()).isFalse();

        Files.writeString(file, "a\noops\n");
        assertThat(w.changed()).isTrue();
        WatchedFile.Loaded<List<String>> broken = w.reload();
        assertThat(broken.value()).containsExactly("a", "b");
        assertThat(broken.errors()).containsExactly("words.yaml:2: oops is not a word (the previous list stays in force)");
        assertThat(w.changed()).isFalse();

        Files.writeString(file, "c\n");
        assertThat(w.reload()).isEqualTo(new WatchedFile.Loaded<>(List.of("c"), List.of(), CLOCK.instant()));

        Files.delete(file);
        assertThat(w.changed()).isTrue();
        assertThat(w.reload().value()).isEmpty();
    }

    @Test
    void aMistakeWithNothingGoodBeforeHasNoNote() throws IOException {
        Path file = Files.writeString(dir.resolve("words.yaml"), "oops\n");
        assertThat(watched(file).reload().errors()).containsExactly("words.yaml:1: oops is not a word");
    }

    @Test
    void anEditOfTheSameSizeIsSeen() throws IOException {
        Path file = Files.writeString(dir.resolve("words.yaml"), "ab\n");
        WatchedFile<List<String>> w = watched(file);
        w.reload();
        Files.writeString(file, "ba\n"); // same length, and likely the same mtime second
        assertThat(w.changed()).isTrue();
    }

    @Test
    void anotherExceptionIsNotAMistakeOfTheFile() throws IOException {
        Path file = Files.writeString(dir.resolve("words.yaml"), "a\n");
        WatchedFile<String> w = new WatchedFile<>(file, (name, text) -> {
            throw new IllegalStateException("a bug");
        }, "", new WatchedFile.Wording<>("x", "y", "z", v -> v), CLOCK, Logger.getLogger(WatchedFileTest.class));
        org.assertj.core.api.Assertions.assertThatThrownBy(w::reload).isInstanceOf(IllegalStateException.class);
    }
}
