package dev.debugport.analysis.symbols;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WildcardPatternTest {
    @Test
    void starQuestionMarkAndLiterals() {
        assertTrue(WildcardPattern.compile("*").matches(""));
        assertTrue(WildcardPattern.compile("Dbg*").matches("DbgBreakPoint"));
        assertTrue(WildcardPattern.compile("dbg*point").matches("DbgBreakPoint"), "case-insensitive");
        assertFalse(WildcardPattern.compile("Dbg").matches("DbgBreakPoint"), "the whole name must match");
        assertTrue(WildcardPattern.compile("?").matches("g"));
        assertFalse(WildcardPattern.compile("?").matches("gg"));
        assertTrue(WildcardPattern.compile("a.b[c]+").matches("A.B[C]+"), "regex characters are literals");
        assertFalse(WildcardPattern.compile("a.b").matches("axb"));
        assertTrue(WildcardPattern.compile("*_IO_*").matches("_IO_puts"));
    }
}
