/**
 * What a debugger front end reads out of a target's bytes: symbols, disassembly and call stacks. The module knows
 * no platform: it sees a debuggee only through {@link dev.debugport.analysis.MemoryReader} and the modules the
 * debugger reports to it ({@link dev.debugport.analysis.ModuleImage}).
 */
package dev.debugport.analysis;
