package dev.rootcause.chat.console;

import dev.rootcause.incident.ChatPublisher;
import dev.rootcause.incident.Incident;
import dev.rootcause.report.Report;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** The default chat: writes each report to the log (category {@code rootcause.chat}), as Markdown. */
@ApplicationScoped
public class ConsoleChatPublisher implements ChatPublisher {

    private static final Logger LOG = Logger.getLogger("rootcause.chat");

    @Override
    public void publish(Incident incident, Report report) {
        LOG.infof("report for incident %d (%s)%s%n%s", incident.id(), incident.status(),
                report.partial() ? " [partial]" : "", report.markdown());
    }
}
