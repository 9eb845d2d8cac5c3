package dev.rootcause.report.render;

import dev.rootcause.report.render.discord.DiscordEmbed;

/** How golden files show a Discord embed: title, description, each field as {@code [name]} and value, the footer. */
public final class GoldenText {

    private GoldenText() {
    }

    public static String discord(DiscordEmbed e) {
        StringBuilder s = new StringBuilder(e.title()).append("\n\n").append(e.description()).append("\n");
        e.fields().forEach(f -> s.append("\n[").append(f.name()).append("]\n").append(f.value()).append('\n'));
        return s.append("\n-- ").append(e.footer()).append('\n').toString();
    }
}
