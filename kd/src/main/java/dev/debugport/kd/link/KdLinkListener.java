package dev.debugport.kd.link;

/**
 * Receives every {@link KdLinkEvent} of a {@link KdLinkEndpoint} in the order its {@link KdLinkState} produced them
 * (delivered packets, acknowledgements, resets, presence changes ...), for layers above the link that must see a
 * RESET relative to the packets around it: the target engine resends its state change after a RESET that follows
 * the state change's ACK, but not after one that preceded it.
 *
 * <p>Called under the endpoint's lock on one of its threads: implementations hand the event to their own thread
 * (e.g. a queue) and return.
 */
@FunctionalInterface
public interface KdLinkListener {

    /** One event, in link order. */
    void onEvent(KdLinkEvent event);
}
