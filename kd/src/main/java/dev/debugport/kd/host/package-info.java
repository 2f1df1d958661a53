/**
 * The host side of KD (what WinDbg plays): {@link dev.debugport.kd.host.KdHostClient}, a library (reset handshake,
 * break-in, stops, memory, context, breakpoints, continue and step, version, reboot); {@link
 * dev.debugport.kd.host.KdTargetInfo}, the walk of KDDEBUGGER_DATA64 to the module and process lists; and {@link
 * dev.debugport.kd.host.KdCommandInterpreter} / {@link dev.debugport.kd.host.KdHostSession}, the kd command language
 * behind {@code debugport kd}. The interpreter keeps the entry points and the dispatch; package-private classes do the
 * rest: the bound target and its stop waits, the host breakpoint table, the expression evaluator, the output, and the
 * command groups (execution, registers, memory, breakpoints, listings).
 */
package dev.debugport.kd.host;
