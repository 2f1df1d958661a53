package dev.debugport.debugger;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The engine on the simulated machine, with test doubles for symbols and disassembly. */
class SimSessionTest {
    @Test
    void stopsAtTheInitialBreakpointThenAtTheProgramsInt3() {
        try (SimDebugging s = new SimDebugging("breakpoint")) {
            System.out.println(s.all());
            System.out.println(s.run("bl; g; r; k; lm"));
            System.out.println(s.run("t"));
            System.out.println(s.run("bp 10020003; bl; g"));
            System.out.println(s.run("g"));
            System.out.println(s.run("g"));
            System.out.println(s.run("db 10020000 L20; dq 0 L2; u 10020000; ? 1+2*3; r rax=0n42; r rax; ~; |; sx"));
            System.out.println(s.run("g"));
            assertTrue(true);
        }
    }
}
