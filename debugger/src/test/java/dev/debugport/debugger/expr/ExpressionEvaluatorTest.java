package dev.debugport.debugger.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExpressionEvaluatorTest {
    private static final Map<String, Long> REGISTERS = Map.of("rax", 0x10L, "rsp", 0x7ffe0000L, "rip", 0x401000L);
    private static final Map<String, Long> SYMBOLS = Map.of("prog!main", 0x401126L, "prog", 0x400000L, "main", 0x401126L, "rax", 0x999L);
    private static final Map<Long, Long> MEMORY = Map.of(0x7ffe0000L, 0x401200L);

    private final ExpressionEvaluator evaluator = new ExpressionEvaluator(new ExpressionContext() {
        @Override
        public OptionalLong register(String name) {
            Long v = REGISTERS.get(name);
            return v == null ? OptionalLong.empty() : OptionalLong.of(v);
        }

        @Override
        public OptionalLong symbol(String name) {
            Long v = SYMBOLS.get(name);
            return v == null ? OptionalLong.empty() : OptionalLong.of(v);
        }

        @Override
        public OptionalLong readPointer(long address) {
            Long v = MEMORY.get(address);
            return v == null ? OptionalLong.empty() : OptionalLong.of(v);
        }
    });

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
        "10            | 16",
        "0x10          | 16",
        "0n10          | 10",
        "0y101         | 5",
        "00007ffa`00001000 | 140711718555648",
        "1+2*3         | 7",
        "(1+2)*3       | 9",
        "20/3          | 10",
        "-1            | -1",
        "10 - 0n6      | 10",
        "@rax          | 16",
        "@rax+8        | 24",
        "prog!main     | 4198694",
        "prog!main+0x4 | 4198698",
        "prog          | 4194304",
        "poi(@rsp)     | 4198912",
        "poi(@rsp)+1   | 4198913",
        "rip           | 4198400",
        "rax           | 2457",
    })
    void evaluatesLikeCdb(String expression, long expected) throws ExpressionException {
        assertEquals(expected, evaluator.evaluate(expression));
    }

    @Test
    void symbolsWinOverRegistersWithoutTheAtSign() throws ExpressionException {
        assertEquals(0x999L, evaluator.evaluate("rax"), "a symbol named rax hides the register, as in MASM syntax");
        assertEquals(0x10L, evaluator.evaluate("@rax"));
    }

    @Test
    void unknownSymbolSaysSo() {
        ExpressionException e = assertThrows(ExpressionException.class, () -> evaluator.evaluate("prog!nothere"));
        assertTrue(e.getMessage().startsWith("Couldn't resolve error at 'prog!nothere'"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1+             | Syntax error",
        "(1             | Syntax error",
        "1)             | Syntax error",
        "12xyz          | Syntax error",
        "@nosuch        | Bad register error at '@nosuch'",
        "1/0            | Divide by zero error",
        "poi(0)         | Memory access error at 'poi(0)'",
        "123456789abcdef01 | Numeric overflow error",
    })
    void badInputIsOneLine(String expression, String message) {
        ExpressionException e = assertThrows(ExpressionException.class, () -> evaluator.evaluate(expression));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"));
    }
}
