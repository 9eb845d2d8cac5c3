package dev.rootcause.api.page;

import io.quarkus.qute.TemplateExtension;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Template helpers: {@code {entry.at.utc}} shows an instant as {@code 2026-05-14 09:00:03 UTC}. */
@TemplateExtension
public final class PageFormat {

    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private PageFormat() {
    }

    /** The instant to the second, in UTC; empty for null. */
    public static String utc(Instant at) {
        return at == null ? "" : UTC.format(at);
    }
}
