package dev.debugport.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeastRecentlyUsedMapTest {
    @Test
    void aPutBeyondTheCapacityDropsTheEntryUsedLongestAgo() {
        Map<Integer, String> map = new LeastRecentlyUsedMap<>(2);
        map.put(1, "one");
        map.put(2, "two");
        map.get(1);
        map.put(3, "three");
        assertEquals(List.of(1, 3), List.copyOf(map.keySet()), "2 was used least recently: 1 was read after it");
    }
}
