package dev.rootcause.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchedDirectoryTest {

    @TempDir
    Path dir;

    private WatchedDirectory<String> folder(Path dir) {
        return new WatchedDirectory<>(dir, p -> p.toString().endsWith(".yaml"), (file, name) -> {
            String text = Files.readString(file).strip();
            if (text.startsWith("oops")) {
                throw new FileMistake(name + ":1: oops");
            }
            return text;
        }, "the previous version of this file stays in force");
    }

    @Test
    void eachFileKeepsItsLastGoodVersion() throws IOException {
        WatchedDirectory<String> folder = folder(dir);
        Files.writeString(dir.resolve("a.yaml"), "A");
        Files.writeString(dir.resolve("b.yaml"), "oops");
        Files.writeString(dir.resolve("notes.txt"), "not an item");
        assertThat(folder.changed()).isTrue();
        WatchedDirectory.Scan<String> first = folder.scan();
        assertThat(first.items()).containsExactly(Map.entry("a.yaml", "A"));
        assertThat(first.errors()).containsExactly("b.yaml:1: oops");
        folder.commit(first.items());
        assertThat(folder.changed()).isFalse();

        Files.writeString(dir.resolve("notes.txt"), "ignored");
        assertThat(folder.changed()).isFalse();

        Files.writeString(dir.resolve("a.yaml"), "oops again");
        Files.writeString(dir.resolve("b.yaml"), "B");
        assertThat(folder.changed()).isTrue();
        WatchedDirectory.Scan<String> second = folder.scan();
        assertThat(second.items()).containsExactly(Map.entry("a.yaml", "A"), Map.entry("b.yaml", "B"));
        assertThat(second.errors()).containsExactly("a.yaml:1: oops (the previous version of this file stays in force)");
        folder.commit(second.items());

        Files.delete(dir.resolve("a.yaml"));
        assertThat(folder.changed()).isTrue();
        assertThat(folder.scan().items()).containsExactly(Map.entry("b.yaml", "B"));
    }

    @Test
    void aFileLeftOutByTheOwnerIsNotKeptAsGood() throws IOException {
        WatchedDirectory<String> folder = folder(dir);
        Files.writeString(dir.resolve("a.yaml"), "A");
        folder.commit(Map.of()); // the owner refused a.yaml
        Files.writeString(dir.resolve("a.yaml"), "oops");
        WatchedDirectory.Scan<String> scan = folder.scan();
        assertThat(scan.items()).isEmpty();
        assertThat(scan.errors()).containsExactly("a.yaml:1: oops");
    }

    @Test
    void aMissingFolderIsSaidOnceUntilItAppears() throws IOException {
        Path missing = dir.resolve("rules");
        WatchedDirectory<String> folder = folder(missing);
        assertThatThrownBy(folder::scan).isInstanceOf(NoSuchFileException.class);
        assertThat(folder.changed()).isFalse();
        Files.createDirectory(missing);
        Files.writeString(missing.resolve("a.yaml"), "A");
        assertThat(folder.changed()).isTrue();
    }
}
