/**
 * The target side of KD: the kernel debugger inside the NT machine model ({@code spec/kd.md} §8), written against
 * {@code dev.debugport.kernel.Kernel} and its {@code Platform} only.
 *
 * <ul>
 *   <li>{@link dev.debugport.kd.target.KdTarget} - KdInitSystem and the public entry points (DbgPrint, DbgPrompt,
 *       DbgBreakPoint, KdEnable/DisableDebugger, the debug port);</li>
 *   <li>{@code KdEngine} - the life cycle (KdInitSystem, KdEnable/DisableDebugger, KdpStub) over
 *       {@code KdEngineThread} (the one thread of every stay in the debugger), {@code KdDebuggerEntry} -
 *       KdEnterDebugger/KdExitDebugger (KeFreezeExecution of every thread of the machine), {@code KdBreakIn} -
 *       KdPollBreakIn at the clock tick and DbgBreakPointWithStatus, {@code KdTrap} - KdpTrap/KdpReport (the
 *       KiDebugRoutine hook), {@code KdSendWaitContinue} - the state changes and KdpSendWaitContinue,
 *       {@code KdDebugIo} - KdpPrint/KdpPrompt, {@code KdHostLoss}; {@code KdApi} - the manipulate APIs;
 *       {@code KdBreakpointTable} - kdbreak.c;
 *       {@code KdTargetPort} - the transport with one host at a time; {@code KdFlags} - KdDebuggerEnabled,
 *       KdDebuggerNotPresent, KdEnteredDebugger, KdPitchDebugger and SharedUserData's byte;</li>
 *   <li>{@code KdKernelImage} - the synthetic Windows 7 SP1 x64 kernel a host reads (version block,
 *       KDDEBUGGER_DATA64, PsLoadedModuleList, PsActiveProcessHead with the machine's real processes), laid out as
 *       {@link dev.debugport.kd.target.KdKernelLayout} says.</li>
 * </ul>
 */
package dev.debugport.kd.target;
