package dev.debugport.cli.output;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One debug event as the printers see it: its kind, process and thread ids, and named fields already resolved
 * (module paths read from the debuggee, debug strings, exception names). Field order is the print order.
 */
public record EventRecord(String kind, long processId, long threadId, Map<String, Object> fields) {
    public EventRecord {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** A builder that keeps insertion order. */
    public static Builder of(String kind, long processId, long threadId) {
        return new Builder(kind, processId, threadId);
    }

    public Object field(String name) {
        return fields.get(name);
    }

    /** Collects the fields of one record. */
    public static final class Builder {
        private final String kind;
        private final long processId;
        private final long threadId;
        private final Map<String, Object> fields = new LinkedHashMap<>();

        private Builder(String kind, long processId, long threadId) {
            this.kind = kind;
            this.processId = processId;
            this.threadId = threadId;
        }

        public Builder put(String name, Object value) {
            fields.put(name, value);
            return this;
        }

        public EventRecord build() {
            return new EventRecord(kind, processId, threadId, fields);
        }
    }
}
