package dev.rootcause.support;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

/** How every JSON body from outside is read: strictly, and text is checked before it is stored. */
public final class StrictJson {

    private StrictJson() {
    }

    /** A reader that rejects a repeated key and trailing data, where the JSON spec leaves "last wins" room. */
    public static ObjectReader reader(ObjectMapper json) {
        return json.reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /**
     * The field a parse error is in, for a 400 that names it: the name being read (a repeated key, a value with
     * invalid UTF-8) or {@code $} (the body: trailing data, a body cut short, an error outside any object).
     */
    public static String field(JsonProcessingException e) {
        if (e instanceof com.fasterxml.jackson.core.io.JsonEOFException) {
            return "$"; // cut short: the body is incomplete, whichever field it ended in
        }
        if (e.getProcessor() instanceof JsonParser parser) {
            for (JsonStreamContext c = parser.getParsingContext(); c != null; c = c.getParent()) {
                if (c.getCurrentName() != null) {
                    return c.getCurrentName();
                }
            }
        }
        return "$";
    }

    /**
     * Why text cannot be stored as sent, or null when it can: NUL (PostgreSQL text refuses it) and
     * unpaired surrogates (not encodable as UTF-8).
     */
    public static String unstorable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return "contains a NUL character";
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "contains an unpaired UTF-16 surrogate";
            }
        }
        return null;
    }
}
