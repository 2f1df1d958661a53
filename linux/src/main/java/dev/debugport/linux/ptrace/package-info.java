/**
 * The checked, typed layer over {@link dev.debugport.linux.libc.LibC}: errors are {@link
 * dev.debugport.linux.ptrace.SysResult} values, never exceptions.
 *
 * <ul>
 *   <li>{@link dev.debugport.linux.ptrace.Ptrace}: every ptrace request debugport uses (owner thread only).</li>
 *   <li>{@link dev.debugport.linux.ptrace.WaitStatus}, {@link dev.debugport.linux.ptrace.SigInfo},
 *       {@link dev.debugport.linux.ptrace.UserRegs}: decoded kernel structures, with their layouts documented.</li>
 *   <li>{@link dev.debugport.linux.ptrace.RemoteMemory}: process_vm_readv/writev, and /proc/pid/mem for writes into
 *       read-only pages.</li>
 *   <li>{@link dev.debugport.linux.ptrace.Spawner}: posix_spawnp, including the stop-then-exec launch shell.</li>
 *   <li>{@link dev.debugport.linux.ptrace.Posix}, {@link dev.debugport.linux.ptrace.Procfs}: signals, waiting and
 *       the parts of /proc a tracer reads.</li>
 * </ul>
 */
package dev.debugport.linux.ptrace;
