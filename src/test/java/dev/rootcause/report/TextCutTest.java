package dev.rootcause.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one cutting helper: character boundaries, never half a surrogate pair, and it says what it cut. */
class TextCutTest {

    @ParameterizedTest(name = "{0} cut to {1}")
    @CsvSource({"abcdef, 100, abcdef", "😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀, 31, ''"})
    void cutNeverSplitsASurrogatePair(String text, int max, String ignored) {
        String cut = TextCut.cut(text, max);
        assertThat(cut.length()).isLessThanOrEqualTo(max);
        assertWellFormed(cut);
        if (text.length() > max) {
            assertThat(cut).endsWith(" characters]");
        } else {
            assertThat(cut).isEqualTo(text);
        }
    }

    @Test
    void cutAtEveryLengthIsWellFormed() {
        String text = "a😀b障😀😀c".repeat(40);
        for (int max = 25; max < text.length() + 2; max++) {
            String cut = TextCut.cut(text, max);
            assertThat(cut.length()).as("max %d", max).isLessThanOrEqualTo(max);
            assertWellFormed(cut);
        }
    }

    @Test
    void theCountedNoteSaysHowManyCharactersWereLeftOut() {
        String cut = TextCut.cut("x".repeat(5000), 100);
        assertThat(cut).hasSize(100).startsWith("x".repeat(76)).endsWith("x… [cut 4,924 characters]"); // 76 kept + 4,924 cut = 5,000
    }

    @Test
    void aFixedNoteEndsTheTextAtEveryLengthWithoutHalfAPair() {
        String text = "a😀b障😀😀c".repeat(40);
        for (int max = 2; max < text.length() + 2; max++) {
            String cut = TextCut.cut(text, max, "…");
            assertThat(cut.length()).as("max %d", max).isLessThanOrEqualTo(max);
            assertWellFormed(cut);
            assertThat(cut).as("max %d", max).isEqualTo(text.length() <= max ? text : cut.substring(0, cut.length() - 1) + "…");
        }
        assertThat(TextCut.cut("short", 255, "…")).isEqualTo("short");
        assertThatThrownBy(() -> TextCut.cut("x".repeat(20), 5, "(report cut)")).isInstanceOf(IllegalArgumentException.class);
    }

    static void assertWellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                assertThat(i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))).as("pair at %d", i).isTrue();
                i++;
            } else {
                assertThat(Character.isLowSurrogate(c)).as("lone low surrogate at %d", i).isFalse();
            }
        }
    }

    @Test
    void splitKeepsEverythingInPartsEndingAtLineBreaksOrCharacterBoundaries() {
        String text = "row one\nrow two\n" + "x".repeat(9) + "😀" + "tail";
        java.util.List<String> parts = TextCut.split(text, 10);
        assertThat(String.join("", parts)).isEqualTo(text);
        assertThat(parts).allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(10));
        assertThat(parts.get(0)).isEqualTo("row one\n");
        assertThat(parts.get(1)).isEqualTo("row two\n");
        assertThat(parts).noneMatch(p -> Character.isHighSurrogate(p.charAt(p.length() - 1)));
        assertThat(TextCut.split("short", 10)).containsExactly("short");
        assertThat(TextCut.split("", 10)).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TextCut.split("abc", 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
