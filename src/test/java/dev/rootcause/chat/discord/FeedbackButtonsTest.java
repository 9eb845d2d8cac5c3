package dev.rootcause.chat.discord;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.dv8tion.jda.api.components.actionrow.ActionRow;
import net.dv8tion.jda.api.components.buttons.Button;
import org.junit.jupiter.api.Test;

/** The report's verdict buttons, the Wrong cause modal, and the link to the incident page. */
class FeedbackButtonsTest {

    @Test
    void theSecondRowAsksForAVerdictAndLinksThePageWhenItIsAbsolute() {
        List<ActionRow> rows = ReportMessage.buttons(12, "https://rootcause.example/incidents/12");
        assertThat(rows).hasSize(2);
        List<Button> verdict = rows.get(1).getButtons();
        assertThat(verdict).extracting(Button::getLabel).containsExactly("Right cause", "Wrong cause…", "Open incident page");
        assertThat(verdict.get(0).getCustomId()).isEqualTo("rc:right:12");
        assertThat(verdict.get(1).getCustomId()).isEqualTo("rc:wrong:12");
        assertThat(verdict.get(2).getUrl()).isEqualTo("https://rootcause.example/incidents/12");
        assertThat(ButtonId.parse(verdict.get(1).getCustomId())).contains(new ButtonId(ButtonId.WRONG, 12));

        assertThat(ReportMessage.buttons(12, null).get(1).getButtons()).extracting(Button::getLabel)
                .as("no link without rootcause.external-url: Discord takes absolute URLs only")
                .containsExactly("Right cause", "Wrong cause…");
    }

    @Test
    void theWrongCauseModalAsksForTheActualCauseUnderTheButtonsId() {
        var modal = IncidentCommands.wrongCauseModal(7);
        assertThat(modal.getId()).isEqualTo("rc:wrong:7");
        assertThat(modal.getTitle()).isEqualTo("Wrong cause — incident #7");
        assertThat(modal.toData().toString()).contains("\"custom_id\":\"actual\"").contains("Actual cause");
    }
}
