package dev.mbus.benchmarks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One JSON object on one line, fields in the order they were put: what the benchmarks print. */
public final class JsonLine {

    private final Map<String, Object> fields = new LinkedHashMap<>();

    /** Puts a field: a number, a boolean, a list, null, or anything else as its string. */
    public JsonLine put(String key, Object value) {
        fields.put(key, value);
        return this;
    }

    public Object get(String key) {
        return fields.get(key);
    }

    @Override
    public String toString() {
        StringBuilder json = new StringBuilder("{");
        fields.forEach((key, value) -> {
            json.append(json.length() == 1 ? "" : ",");
            appendString(json, key);
            json.append(':');
            appendValue(json, value);
        });
        return json.append('}').toString();
    }

    private static void appendValue(StringBuilder json, Object value) {
        if (value == null) {
            json.append("null");
        } else if (value instanceof Number || value instanceof Boolean) {
            json.append(value);
        } else if (value instanceof List<?> list) {
            json.append('[');
            for (int i = 0; i < list.size(); i++) {
                json.append(i == 0 ? "" : ",");
                appendValue(json, list.get(i));
            }
            json.append(']');
        } else {
            appendString(json, value.toString());
        }
    }

    private static void appendString(StringBuilder json, String text) {
        json.append('"');
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
