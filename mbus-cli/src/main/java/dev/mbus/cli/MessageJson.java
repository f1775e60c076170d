package dev.mbus.cli;

import dev.mbus.core.message.Command;
import dev.mbus.core.message.DataValue;
import dev.mbus.core.message.FloatValue;
import dev.mbus.core.message.IntegerValue;
import dev.mbus.core.message.ListValue;
import dev.mbus.core.message.MbusValue;
import dev.mbus.core.message.Message;
import dev.mbus.core.message.StringValue;
import dev.mbus.core.message.SymbolValue;
import java.util.Base64;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON form of a message that the tool prints, one object per line:
 * <pre>
 * {"seq":3,"timestamp":1795672081185,"type":"U","src":["app:ucl","id:2-1@localhost"],
 *  "dst":["app:ucl","id:1-1@localhost"],"acks":[],
 *  "commands":[{"name":"test.int","args":[{"int":12345}]}]}
 * </pre>
 * Each value is an object naming its type: {@code {"int":n}}, {@code {"float":x}},
 * {@code {"string":"..."}}, {@code {"symbol":"..."}}, {@code {"list":[...]}},
 * {@code {"data":"<base64>"}}. Address elements are in wire order. Callers put their own
 * fields first ({@code "file"} for decode, {@code "sender"} for listen), then the message's.
 * Thread-safe.
 */
public final class MessageJson {

    private final JsonMapper mapper;

    public MessageJson() {
        this(JsonMapper.builder().build());
    }

    public MessageJson(JsonMapper mapper) {
        this.mapper = mapper;
    }

    /** An empty object, for the caller's leading fields. */
    public ObjectNode newObject() {
        return mapper.createObjectNode();
    }

    /** The message alone as a JSON object. */
    public ObjectNode toJson(Message message) {
        return putMessage(newObject(), message);
    }

    /** Adds the fields of {@code message} to {@code node}, after those already there; returns {@code node}. */
    public ObjectNode putMessage(ObjectNode node, Message message) {
        node.put("seq", message.sequence());
        node.put("timestamp", message.timestamp());
        node.put("type", message.reliable() ? "R" : "U");
        ArrayNode src = node.putArray("src");
        message.source().elements().forEach(src::add);
        ArrayNode dst = node.putArray("dst");
        message.destination().elements().forEach(dst::add);
        ArrayNode acks = node.putArray("acks");
        message.acks().forEach(acks::add);
        ArrayNode commands = node.putArray("commands");
        for (Command command : message.commands()) {
            ObjectNode commandNode = commands.addObject();
            commandNode.put("name", command.name());
            ArrayNode args = commandNode.putArray("args");
            command.args().forEach(arg -> args.add(toJson(arg)));
        }
        return node;
    }

    /** One value as {@code {"<type>": <value>}}. */
    public ObjectNode toJson(MbusValue value) {
        ObjectNode node = mapper.createObjectNode();
        if (value instanceof IntegerValue integer) {
            node.put("int", integer.value());
        } else if (value instanceof FloatValue number) {
            node.put("float", number.value());
        } else if (value instanceof StringValue string) {
            node.put("string", string.value());
        } else if (value instanceof SymbolValue symbol) {
            node.put("symbol", symbol.name());
        } else if (value instanceof ListValue list) {
            ArrayNode elements = node.putArray("list");
            list.elements().forEach(element -> elements.add(toJson(element)));
        } else if (value instanceof DataValue data) {
            node.put("data", Base64.getEncoder().encodeToString(data.bytes()));
        } else {
            throw new IllegalArgumentException("unknown Mbus value type: " + value.getClass().getName());
        }
        return node;
    }

    /** {@code node} as one line of compact JSON (no line break at the end). */
    public String toLine(ObjectNode node) {
        return mapper.writeValueAsString(node);
    }
}
