/**
 * The memory layout a KD host reads on a Windows 7 SP1 x64 kernel (build 7601), shared by the target engine, which
 * lays its synthetic kernel out this way, and the host client, which walks it: {@code KDDEBUGGER_DATA64}
 * ({@link dev.debugport.kd.layout.KdDebuggerData64}) and the structure offsets of EPROCESS, ETHREAD,
 * LDR_DATA_TABLE_ENTRY, KPCR/KPRCB and KUSER_SHARED_DATA ({@link dev.debugport.kd.layout.Win7Amd64}). The values are
 * those of the real build, so hosts with a Windows 7 SP1 x64 profile (radare2's winkd, WinDbg) read our target as
 * they read Windows.
 */
package dev.debugport.kd.layout;
