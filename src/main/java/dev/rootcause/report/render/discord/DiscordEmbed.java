package dev.rootcause.report.render.discord;

import java.util.List;

/**
 * A report as one Discord embed, every part already within {@link DiscordLimits}; the Discord adapter
 * turns it into JDA's message (adding the status line, mentions, buttons and the chart).
 *
 * @param colour the severity's colour, {@code 0xRRGGBB}
 */
public record DiscordEmbed(String title, String description, List<Field> fields, int colour, String footer) {

    public DiscordEmbed {
        fields = List.copyOf(fields);
    }

    /** One embed field, shown full width. */
    public record Field(String name, String value) {
    }

    /** The characters Discord counts towards {@link DiscordLimits#EMBED_TOTAL}. */
    public int length() {
        return length(title, description, fields, footer);
    }

    static int length(String title, String description, List<Field> fields, String footer) {
        int n = title.length() + description.length() + footer.length();
        for (Field f : fields) {
            n += f.name().length() + f.value().length();
        }
        return n;
    }
}
