/**
 * Raw FFM bindings to glibc: one {@link java.lang.invoke.MethodHandle} per function, errno captured on every call,
 * no logic. Everything else in debugport-linux calls these through {@code dev.debugport.linux.ptrace}.
 */
package dev.debugport.linux.libc;
