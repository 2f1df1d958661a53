/**
 * The host side of KD (what WinDbg plays): {@link dev.debugport.kd.host.KdHostClient}, a library (reset handshake,
 * break-in, stops, memory, context, breakpoints, continue and step, version, reboot); {@link
 * dev.debugport.kd.host.KdTargetInfo}, the walk of KDDEBUGGER_DATA64 to the module and process lists; and {@link
 * dev.debugport.kd.host.KdCommandInterpreter} / {@link dev.debugport.kd.host.KdHostSession}, the kd command language
 * behind {@code debugport kd}.
 */
package dev.debugport.kd.host;
