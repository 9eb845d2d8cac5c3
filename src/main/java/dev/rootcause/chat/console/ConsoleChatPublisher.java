package dev.rootcause.chat.console;

import dev.rootcause.chat.ChatConfig;
import dev.rootcause.incident.Incident;
import dev.rootcause.incident.effect.ChatPublisher;
import dev.rootcause.report.Report;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * The chat of {@code rootcause.chat.kind=console} (the default while no Discord token is configured): writes each report to the log (category
 * {@code rootcause.chat}) as Markdown, and follow-ups as one line each. The log has no message to edit,
 * so status changes show only as their follow-up line.
 */
@ApplicationScoped
@LookupIfProperty(name = ChatConfig.KIND, stringValue = "console")
public class ConsoleChatPublisher implements ChatPublisher {

    private static final Logger LOG = Logger.getLogger("rootcause.chat");

    @Override
    public ChatRef publish(Incident incident, Report report, ChatRef existing, String nonce) {
        LOG.infof("report for incident %d (%s)%s%n%s", incident.id(), incident.status(),
                report.partial() ? " [partial]" : "", report.markdown());
        return existing != null ? existing : new ChatRef("log", "incident-" + incident.id(), null);
    }

    @Override
    public void followUp(Incident incident, ChatRef ref, String text, String nonce) {
        LOG.infof("incident %d: %s", incident.id(), text);
    }

    /** A warning line: the log has no buttons, so the text names the retry endpoint. */
    @Override
    public void effectFailed(Incident incident, ChatRef ref, String text, String nonce) {
        LOG.warnf("incident %d: %s", incident.id(), text);
    }

    @Override
    public void showStatus(Incident incident, ChatRef ref) {
        // the follow-up line already said it; a log line cannot be edited
    }
}
