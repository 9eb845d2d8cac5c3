package dev.rootcause.incident.pipeline;

import dev.rootcause.incident.Notification;

/**
 * Turns a stored webhook body back into a {@link Notification}. Implemented by the intake adapter
 * ({@code alert/}); the core re-reads bodies it stored before answering {@code 202}.
 */
public interface NotificationDecoder {

    /**
     * @param source the source the body was received from, e.g. {@code alertmanager}
     * @param body   the body exactly as received (UTF-8 JSON)
     * @throws RuntimeException when the body is not a valid notification (it was validated at intake,
     *                          so this means the decoder changed incompatibly)
     */
    Notification decode(String source, byte[] body);
}
