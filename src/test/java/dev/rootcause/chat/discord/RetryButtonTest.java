package dev.rootcause.chat.discord;

import static org.assertj.core.api.Assertions.assertThat;

import net.dv8tion.jda.api.utils.data.DataObject;
import org.junit.jupiter.api.Test;

/** A refused ticket's line in the thread: the tracker's words, a Retry button, nobody pinged, deduplicated on the nonce. */
class RetryButtonTest {

    @Test
    void theLineCarriesARetryButtonForTheIncidentAndPingsNobody() {
        DataObject body = DiscordChatPublisher.failedMessage(12, "Ticket not opened: the tracker refused it — GitHub answered 422:"
                + " Validation Failed; body: body is too long (maximum is 65536 characters). Fix the cause, then press Retry"
                + " (or POST /api/v1/outbox/40/retry).", "rc-41");
        assertThat(body.getString("content")).startsWith("Ticket not opened: the tracker refused it — GitHub answered 422");
        assertThat(body.getString("nonce")).isEqualTo("rc-41");
        assertThat(body.getBoolean("enforce_nonce")).isTrue();
        assertThat(body.getObject("allowed_mentions").getArray("parse").isEmpty()).isTrue();
        DataObject button = body.getArray("components").getObject(0).getArray("components").getObject(0);
        assertThat(button.getString("custom_id")).isEqualTo("rc:retry:12");
        assertThat(button.getString("label")).isEqualTo("Retry");
        assertThat(ButtonId.parse(button.getString("custom_id"))).contains(new ButtonId(ButtonId.RETRY, 12));
    }

    @Test
    void aLongReasonIsCutToDiscordsLimit() {
        DataObject body = DiscordChatPublisher.failedMessage(3, "x".repeat(5000), "rc-1");
        assertThat(body.getString("content").length()).isLessThanOrEqualTo(2000);
    }
}
