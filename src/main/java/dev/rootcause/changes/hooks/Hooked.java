package dev.rootcause.changes.hooks;

import dev.rootcause.changes.ChangeRequest;

/**
 * What a webhook body means: a change to record, or nothing to record and why (a GitHub {@code ping}, a deployment
 * still queued). Never a silent drop: the answer says which.
 *
 * @param change  the change, or null when ignored
 * @param ignored why nothing is recorded, or null
 */
public record Hooked(ChangeRequest change, String ignored) {

    static Hooked change(ChangeRequest change) {
        return new Hooked(change, null);
    }

    static Hooked ignored(String why) {
        return new Hooked(null, why);
    }
}
