package dev.rootcause.report;

import dev.rootcause.diagnosis.Diagnosis;
import java.time.Instant;

/**
 * A diagnosis report about one incident, ready to render.
 *
 * @param incidentId the incident it is about
 * @param title      the incident's title
 * @param severity   the incident's severity, or null
 * @param createdAt  when the diagnosis finished
 * @param markdown   the report as Markdown, rendered once when it was made and stored (API, console chat,
 *                   embedded tickets); other formats render {@link #outline()}
 */
public record Report(long incidentId, String title, String severity, Instant createdAt, Diagnosis diagnosis,
        String markdown) {

    /** True when some evidence could not be gathered (a source failed or timed out). */
    public boolean partial() {
        return !diagnosis.partial().isEmpty();
    }

    /** What the report says, for a renderer to format ({@link ReportOutliner}). */
    public ReportOutline outline() {
        return ReportOutliner.outline(this);
    }
}
