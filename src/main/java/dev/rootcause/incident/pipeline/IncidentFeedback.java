package dev.rootcause.incident.pipeline;

import dev.rootcause.incident.Feedback;
import dev.rootcause.incident.FeedbackRepository;
import dev.rootcause.incident.Incident;
import dev.rootcause.incident.IncidentNotFoundException;
import dev.rootcause.incident.IncidentRepository;
import dev.rootcause.incident.IncidentStateException;
import dev.rootcause.incident.ReportRepository;
import dev.rootcause.incident.effect.ChatFollowUps;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;

/**
 * Responders' verdicts on a root cause, from the incident page or a Discord button: stored on the incident
 * with the rule and cause judged, written to the timeline and said in the chat thread, in one transaction.
 */
@ApplicationScoped
public class IncidentFeedback {

    private final IncidentRepository incidents;
    private final ReportRepository reports;
    private final FeedbackRepository feedback;
    private final ChatFollowUps chat;
    private final Clock clock;

    IncidentFeedback(IncidentRepository incidents, ReportRepository reports, FeedbackRepository feedback, ChatFollowUps chat,
            Clock clock) {
        this.incidents = incidents;
        this.reports = reports;
        this.feedback = feedback;
        this.chat = chat;
        this.clock = clock;
    }

    /**
     * Records a verdict on the incident's latest root cause (or on its "not determined"), replacing an earlier one.
     *
     * @param actual what the cause actually was: required (non-blank) for {@link Feedback.Verdict#WRONG}, ignored for
     *               {@link Feedback.Verdict#RIGHT}; cut to {@link Feedback#MAX_ACTUAL} characters
     * @return the verdict stored
     * @throws IncidentNotFoundException for an unknown incident
     * @throws IncidentStateException    when the incident has no diagnosis yet (nothing to judge)
     * @throws IllegalArgumentException  for a wrong verdict without {@code actual}, naming the field
     */
    @Transactional(rollbackOn = Exception.class) // checked exceptions roll back too
    public Feedback judge(long id, Feedback.Verdict verdict, String actual, String by) {
        Incident incident = incidents.find(id).orElseThrow(() -> new IncidentNotFoundException(id));
        if (reports.latestId(id).isEmpty()) {
            throw new IncidentStateException("incident " + id + " has no diagnosis yet; there is no root cause to judge");
        }
        String said = null;
        if (verdict == Feedback.Verdict.WRONG) {
            if (actual == null || actual.isBlank()) {
                throw new IllegalArgumentException("actual: say what the cause actually was");
            }
            said = actual.strip();
            said = said.length() > Feedback.MAX_ACTUAL ? said.substring(0, Feedback.MAX_ACTUAL) : said;
        }
        Instant now = clock.instant();
        Feedback f = new Feedback(verdict, said, feedback.rootCauseRule(id).orElse(null), incident.rootCause(), by, now);
        feedback.save(id, f);
        String text = line(f);
        incidents.addTimeline(id, now, "feedback", by, text);
        chat.enqueue(id, "feedback", text, now);
        return f;
    }

    /** {@code root cause marked right by alice} or {@code root cause marked wrong by bob — actual: …}. */
    static String line(Feedback f) {
        String what = f.cause() == null ? "\"not determined\"" : "root cause";
        return what + " marked " + f.verdict().wire() + " by " + f.by()
                + (f.actual() == null ? "" : " — actual: " + f.actual());
    }
}
