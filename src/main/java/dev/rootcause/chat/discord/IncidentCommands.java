package dev.rootcause.chat.discord;

import dev.rootcause.incident.Feedback;
import dev.rootcause.incident.Incident;
import dev.rootcause.incident.IncidentLinks;
import dev.rootcause.incident.IncidentNotFoundException;
import dev.rootcause.incident.IncidentRepository;
import dev.rootcause.incident.IncidentStateException;
import dev.rootcause.incident.StoreException;
import dev.rootcause.incident.effect.TicketRetry;
import dev.rootcause.incident.pipeline.DiagnosisRunner;
import dev.rootcause.incident.pipeline.IncidentFeedback;
import dev.rootcause.incident.pipeline.IncidentService;
import dev.rootcause.incident.pipeline.IncidentSilencer;
import dev.rootcause.incident.pipeline.OutboxDispatcher;
import dev.rootcause.report.ReportOutliner;
import dev.rootcause.report.TextCut;
import dev.rootcause.report.render.discord.DiscordLimits;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import net.dv8tion.jda.api.components.label.Label;
import net.dv8tion.jda.api.components.textinput.TextInput;
import net.dv8tion.jda.api.components.textinput.TextInputStyle;
import net.dv8tion.jda.api.entities.Member;
import net.dv8tion.jda.api.entities.User;
import net.dv8tion.jda.api.events.interaction.ModalInteractionEvent;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.events.interaction.component.ButtonInteractionEvent;
import net.dv8tion.jda.api.interactions.callbacks.IReplyCallback;
import net.dv8tion.jda.api.interactions.commands.OptionMapping;
import net.dv8tion.jda.api.interactions.modals.ModalMapping;
import net.dv8tion.jda.api.modals.Modal;
import org.jboss.logging.Logger;

/**
 * {@code /incident list|show|ack|resolve} and the report buttons (Acknowledge, Create ticket, Silence 1h,
 * Re-run diagnosis; Right cause, and Wrong cause with its modal asking for the actual cause; Retry under a
 * refused ticket's line, for those allowed to create tickets). Each action is checked against {@link Permissions}; taken or refused, it lands in the
 * incident's timeline with the Discord user's name. Answers are ephemeral: the thread gets the follow-up
 * everyone sees, through the outbox.
 */
@ApplicationScoped
class IncidentCommands {

    private static final Logger LOG = Logger.getLogger(IncidentCommands.class);
    static final Duration SILENCE = Duration.ofHours(1);

    private final IncidentService service;
    private final IncidentRepository store;
    private final IncidentSilencer silencer;
    private final Permissions permissions;
    private final Wakes wakes;
    private final IncidentFeedback feedback;
    private final TicketRetry retries;
    private final IncidentLinks links;

    IncidentCommands(IncidentService service, IncidentRepository store, IncidentSilencer silencer, Permissions permissions,
            DiagnosisRunner diagnoses, OutboxDispatcher outbox, IncidentFeedback feedback, TicketRetry retries, IncidentLinks links) {
        this.links = links;
        this.feedback = feedback;
        this.retries = retries;
        this.service = service;
        this.store = store;
        this.silencer = silencer;
        this.permissions = permissions;
        this.wakes = new Wakes(diagnoses, outbox);
    }

    /** The background workers to nudge after an action. */
    private record Wakes(DiagnosisRunner diagnoses, OutboxDispatcher outbox) {
    }

    void command(SlashCommandInteractionEvent event) {
        String sub = String.valueOf(event.getSubcommandName());
        if ("list".equals(sub)) {
            list(event);
            return;
        }
        Long id = event.getOption("id", OptionMapping::getAsLong);
        if (id == null || id <= 0) {
            event.reply("Give the incident number, e.g. `/incident " + sub + " id:12`.").setEphemeral(true).queue();
            return;
        }
        switch (sub) {
            case "show" -> show(event, id);
            case "ack" -> act(event, Permissions.ACK, id, () -> {
                Incident i = service.acknowledge(id, name(event.getUser()));
                return "Incident #" + id + " acknowledged by " + i.acknowledgedBy() + ".";
            });
            case "resolve" -> act(event, Permissions.RESOLVE, id, () -> {
                service.resolve(id, name(event.getUser()));
                return "Incident #" + id + " resolved.";
            });
            default -> event.reply("Unknown subcommand " + sub + ".").setEphemeral(true).queue();
        }
    }

    void button(ButtonInteractionEvent event, ButtonId id, Executor slow) {
        long incident = id.incidentId();
        String user = name(event.getUser());
        switch (id.action()) {
            case ButtonId.ACK -> act(event, Permissions.ACK, incident, () -> {
                service.acknowledge(incident, user);
                return "Acknowledged incident #" + incident + ".";
            });
            case ButtonId.TICKET -> act(event, Permissions.TICKET, incident, () -> {
                Incident i = service.requestTicket(incident, user);
                wakes.outbox().wake();
                return i.ticketKey() != null ? "Incident #" + incident + " has its ticket: " + i.ticketKey() + " " + i.ticketUrl()
                        : "Ticket requested for incident #" + incident + "; its link follows in the thread.";
            });
            case ButtonId.REDIAGNOSE -> act(event, Permissions.RELOAD, incident, () -> {
                service.requestDiagnosis(incident, user);
                wakes.diagnoses().wake();
                return "A new diagnosis of incident #" + incident + " is running; its report follows in the thread.";
            });
            case ButtonId.SILENCE -> silence(event, incident, user, slow);
            case ButtonId.RETRY -> act(event, Permissions.TICKET, incident, () -> {
                int n = retries.retry(incident, user);
                wakes.outbox().wake();
                return n == 0 ? "Nothing to retry for incident #" + incident + ": no ticket effect of it is dead (already retried?)."
                        : "Retrying " + n + " ticket effect" + (n == 1 ? "" : "s") + " of incident #" + incident
                                + "; the outcome follows in the thread.";
            });
            case ButtonId.RIGHT -> act(event, Permissions.FEEDBACK, incident, () -> {
                feedback.judge(incident, Feedback.Verdict.RIGHT, null, user);
                return "Recorded: the root cause of incident #" + incident + " was right. Thank you.";
            });
            case ButtonId.WRONG -> {
                if (!refused(event, Permissions.FEEDBACK, incident)) {
                    event.replyModal(wrongCauseModal(incident)).queue();
                }
            }
            default -> event.reply("Unknown action " + id.action() + ".").setEphemeral(true).queue();
        }
    }

    /** The modal the Wrong cause button opens: one text input, {@code actual}; its id is the button's. */
    static Modal wrongCauseModal(long incident) {
        TextInput actual = TextInput.create(ACTUAL, TextInputStyle.PARAGRAPH).setRequired(true).setMaxLength(Feedback.MAX_ACTUAL)
                .setPlaceholder("What was the cause, really?").build();
        return Modal.create(ButtonId.of(ButtonId.WRONG, incident), "Wrong cause — incident #" + incident)
                .addComponents(Label.of("Actual cause", actual)).build();
    }

    static final String ACTUAL = "actual";

    /** The Wrong cause modal submitted: the verdict stored with the actual cause typed. */
    void modal(ModalInteractionEvent event, ButtonId id) {
        if (!ButtonId.WRONG.equals(id.action())) {
            event.reply("This form is not rootcause's.").setEphemeral(true).queue();
            return;
        }
        long incident = id.incidentId();
        ModalMapping actual = event.getValue(ACTUAL);
        act(event, Permissions.FEEDBACK, incident, () -> {
            feedback.judge(incident, Feedback.Verdict.WRONG, actual == null ? null : actual.getAsString(), name(event.getUser()));
            // Discord shows absolute URLs only; without rootcause.external-url the page is named, not linked
            String export = links.absoluteIncident(incident).map(u -> ": " + u + "/rule-test.zip (from " + u + ")")
                    .orElse(" on the incident page");
            return "Recorded: the root cause of incident #" + incident + " was wrong. Thank you. To make it a regression test,"
                    + " download its rule-test export" + export + " and correct the expectation to the actual cause.";
        });
    }

    private void silence(ButtonInteractionEvent event, long incident, String user, Executor slow) {
        if (refused(event, Permissions.SILENCE, incident)) {
            return;
        }
        event.deferReply(true).queue(); // Alertmanager may take longer than Discord's 3 s
        var hook = event.getHook();
        slow.execute(() -> {
            String answer;
            try {
                IncidentSilencer.Silenced s = silencer.silence(incident, user, SILENCE);
                answer = "Silenced for 1h (until " + s.endsAt() + "): silence " + s.silenceId() + " matching " + s.labels() + ".";
            } catch (IncidentStateException | IncidentNotFoundException e) {
                answer = "Not silenced: " + e.getMessage() + ".";
            } catch (RuntimeException e) {
                LOG.errorf(e, "silencing incident %d failed", incident);
                answer = "Not silenced: " + e.getMessage();
            }
            hook.sendMessage(TextCut.cut(answer, DiscordLimits.CONTENT)).setEphemeral(true).queue();
        });
    }

    /** An action that must not fail silently. */
    private interface Action {
        /** @throws StoreException when the store fails: answered "try again" */
        String run();
    }

    private void act(IReplyCallback event, String action, long incident, Action body) {
        if (refused(event, action, incident)) {
            return;
        }
        String answer;
        try {
            answer = body.run();
        } catch (IncidentNotFoundException | IncidentStateException | IllegalArgumentException e) {
            answer = "Cannot " + action + ": " + e.getMessage() + ".";
        } catch (StoreException e) {
            LOG.errorf(e, "%s of incident %d failed", action, incident);
            answer = "Cannot " + action + " now: the store did not answer (" + e.getMessage() + "). Try again.";
        }
        event.reply(TextCut.cut(answer, DiscordLimits.CONTENT)).setEphemeral(true).queue();
    }

    /** Answers an ephemeral refusal (and records it) when the member lacks the action's role. */
    private boolean refused(IReplyCallback event, String action, long incident) {
        Member member = event.getMember();
        String why = permissions.refusal(action, member);
        if (why == null) {
            return false;
        }
        try {
            service.record(incident, "refused", name(event.getUser()), name(event.getUser()) + " may not " + action
                    + " from Discord (missing role)");
        } catch (IncidentNotFoundException | StoreException e) {
            LOG.debugf("refusal not recorded: %s", e.getMessage());
        }
        event.reply(why).setEphemeral(true).queue();
        return true;
    }

    private void list(SlashCommandInteractionEvent event) {
        try {
            List<Incident> open = store.list(null, 100).stream().filter(i -> !i.is(Incident.Status.RESOLVED)).limit(20).toList();
            StringBuilder s = new StringBuilder(open.isEmpty() ? "No open incidents." : "");
            open.forEach(i -> s.append(ReportMessage.statusLine(i)).append(" — ").append(TextCut.cut(i.title(), 100)).append('\n'));
            event.reply(TextCut.cut(s.toString(), DiscordLimits.CONTENT)).setEphemeral(true).queue();
        } catch (StoreException e) {
            event.reply("The store did not answer: " + e.getMessage()).setEphemeral(true).queue();
        }
    }

    private void show(SlashCommandInteractionEvent event, long id) {
        try {
            var found = store.find(id);
            if (found.isEmpty()) {
                event.reply("No incident #" + id + "; `/incident list` shows the open ones.").setEphemeral(true).queue();
                return;
            }
            Incident i = found.get();
            String text = ReportMessage.statusLine(i) + "\n**" + i.title() + "**\n"
                    + ReportOutliner.rootCauseLine(i.rootCause(), i.rootCauseConfidence())
                    + (i.ticketUrl() == null ? "" : "\nTicket: " + i.ticketUrl());
            event.reply(TextCut.cut(text, DiscordLimits.CONTENT)).setEphemeral(true).queue();
        } catch (StoreException e) {
            event.reply("The store did not answer: " + e.getMessage()).setEphemeral(true).queue();
        }
    }

    /** The name recorded in the timeline: the Discord user name. */
    static String name(User user) {
        return user.getName();
    }
}
