package dev.rootcause.alert.reading;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Splits names and sentences into whole lower-case words: CamelCase with acronyms ({@code HTTPRequestsSlow} →
 * {@code http requests slow}), snake_case, kebab-case, dots, colons and spaces. Words are never searched inside
 * each other: {@code RequestsSlow} has no {@code ssl} and {@code RedisKeysEvicted} no {@code disk}.
 */
public final class Words {

    /** Between a lower-case letter or digit and an upper-case one, and before the last capital of an acronym. */
    private static final Pattern CAMEL = Pattern.compile("(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])");
    private static final Pattern SEPARATORS = Pattern.compile("[^\\p{L}\\p{N}]+");
    /** Letters glued to digits, split a second way: {@code http5xx} → {@code http 5xx}; {@code p99} stays whole too. */
    private static final Pattern LETTERS_DIGITS = Pattern.compile("(?<=[a-z])(?=[0-9])");

    private Words() {
    }

    /**
     * The words of {@code text} in order, lower case. A word mixing letters and digits is followed by its
     * parts ({@code http5xx}, {@code http}, {@code 5xx}), so a vocabulary may name either.
     */
    public static List<String> of(String text) {
        List<String> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        for (String chunk : SEPARATORS.split(text)) {
            for (String word : CAMEL.split(chunk)) {
                if (word.isEmpty()) {
                    continue;
                }
                String lower = word.toLowerCase(Locale.ROOT);
                out.add(lower);
                String[] parts = LETTERS_DIGITS.split(lower);
                if (parts.length > 1) {
                    for (String p : parts) {
                        out.add(p);
                    }
                }
            }
        }
        return out;
    }

    /**
     * Whether {@code words} holds {@code phrase} (one or more words) as consecutive whole words; a word also
     * matches its plural ({@code error} finds {@code errors}, {@code latency} finds {@code latencies}).
     *
     * @return the index of the first word of the phrase, or -1
     */
    public static int find(List<String> words, List<String> phrase) {
        for (int i = 0; i + phrase.size() <= words.size(); i++) {
            boolean all = true;
            for (int j = 0; j < phrase.size() && all; j++) {
                all = same(words.get(i + j), phrase.get(j));
            }
            if (all) {
                return i;
            }
        }
        return -1;
    }

    private static boolean same(String word, String wanted) {
        if (word.equals(wanted)) {
            return true;
        }
        if (word.equals(wanted + "s") || word.equals(wanted + "es")) {
            return true;
        }
        return wanted.endsWith("y") && word.equals(wanted.substring(0, wanted.length() - 1) + "ies");
    }
}
