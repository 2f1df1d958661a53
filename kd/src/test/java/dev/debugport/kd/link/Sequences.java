package dev.debugport.kd.link;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;

/** Compact comparison of long delivery sequences (the first difference, not two huge lists). */
final class Sequences {

    private Sequences() {
    }

    static <T> void assertSameSequence(List<T> expected, List<T> actual, String what) {
        int n = Math.min(expected.size(), actual.size());
        for (int i = 0; i < n; i++) {
            if (!expected.get(i).equals(actual.get(i))) {
                fail(what + ": first difference at index " + i + ": expected " + expected.get(i) + " but got "
                        + actual.get(i) + " (" + actual.size() + " delivered, " + expected.size() + " sent)");
            }
        }
        if (expected.size() != actual.size()) {
            fail(what + ": " + actual.size() + " delivered, " + expected.size() + " sent");
        }
    }
}
