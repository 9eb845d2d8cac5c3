package dev.rootcause.incident.outbox;

/**
 * Thrown by a {@link dev.rootcause.incident.effect.TicketTracker} or
 * {@link dev.rootcause.incident.effect.ChatPublisher} when the backend refused the request and the same
 * request would be refused again (Jira's 400 naming a field, GitHub's 422 {@code errors[].message}, a
 * 401/403/404 that no repeat changes): the outbox moves the effect to {@code dead} at once, with this
 * message, instead of retrying it for the whole horizon, and the incident's chat thread says why with a
 * Retry button. After the cause is fixed, the button or {@code POST /api/v1/outbox/{id}/retry} delivers it again.
 */
public class EffectRejectedException extends RuntimeException {

    public EffectRejectedException(String message) {
        super(message);
    }

    /**
     * True for an HTTP status that no repeat of the same request can turn into a success: every 4xx but
     * 408 (Request Timeout), 409 (Conflict), 423 (Locked), 425 (Too Early) and 429 (Too Many Requests),
     * which RFC 9110 §15.5 and RFC 6585 describe as conditions of the moment. A 403 that is a rate limit
     * (GitHub's {@code x-ratelimit-remaining: 0}) must be told apart by the caller before asking.
     */
    public static boolean cannotSucceed(int status) {
        return status >= 400 && status < 500 && status != 408 && status != 409 && status != 423 && status != 425 && status != 429;
    }
}
