package dev.debugport.dbgk;

import dev.debugport.nt.DbgkmApiMessage;
import dev.debugport.nt.NtStatus;

/**
 * What DbgkpQueueMessage / DbgkpSendApiMessage give back to a sender: the queue status (STATUS_PORT_NOT_SET,
 * STATUS_DEBUGGER_INACTIVE, or the event's status) and the API message as the debugger left it (its ReturnedStatus
 * carries the continue status; a file handle the debugger took is cleared).
 */
record SendResult(NtStatus status, DbgkmApiMessage message) {
}
