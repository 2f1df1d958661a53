package dev.debugport.nt;

import java.util.Objects;

/**
 * {@code DBGKM_APIMSG} without its LPC {@code PORT_MESSAGE} header: the message number, the status
 * the debugger returns (the continue status once continued) and the message body.
 *
 * @param apiNumber      ApiNumber; must equal {@code payload.apiNumber()}
 * @param returnedStatus ReturnedStatus: STATUS_PENDING while queued, then the continue status
 * @param payload        the DBGKM_* body
 */
public record DbgkmApiMessage(DbgkmApiNumber apiNumber, NtStatus returnedStatus, DbgkmPayload payload) {

    /**
     * @throws NullPointerException     if a component is null
     * @throws IllegalArgumentException if the api number does not match the payload
     */
    public DbgkmApiMessage {
        Objects.requireNonNull(apiNumber, "apiNumber");
        Objects.requireNonNull(returnedStatus, "returnedStatus");
        Objects.requireNonNull(payload, "payload");
        if (apiNumber != payload.apiNumber()) {
            throw new IllegalArgumentException("ApiNumber " + apiNumber + " does not match a "
                    + payload.apiNumber() + " payload");
        }
    }

    /**
     * @param payload the message body
     * @return a new message: ApiNumber from the payload, ReturnedStatus STATUS_PENDING
     */
    public static DbgkmApiMessage of(DbgkmPayload payload) {
        Objects.requireNonNull(payload, "payload");
        return new DbgkmApiMessage(payload.apiNumber(), NtStatus.STATUS_PENDING, payload);
    }

    /**
     * @param status the new ReturnedStatus
     * @return a copy with ReturnedStatus replaced
     */
    public DbgkmApiMessage withReturnedStatus(NtStatus status) {
        return new DbgkmApiMessage(apiNumber, status, payload);
    }

    /**
     * @param newPayload a body of the same message number
     * @return a copy with the body replaced
     * @throws IllegalArgumentException if the new body has another message number
     */
    public DbgkmApiMessage withPayload(DbgkmPayload newPayload) {
        return new DbgkmApiMessage(apiNumber, returnedStatus, newPayload);
    }
}
