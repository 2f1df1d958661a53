package dev.debugport.sim;

/**
 * The code of a guest thread: a thread body, a program's main, a thread start routine. It runs on the guest thread
 * and talks to the machine only through {@link GuestApi}. Returning normally exits the thread with 0
 * (RtlExitUserThread(0)); an exception that escapes becomes an unhandled guest exception (see {@link SimPlatform}).
 */
@FunctionalInterface
public interface GuestCode {
    void run(GuestApi g);
}
