package dev.mbus.core.awareness;

import dev.mbus.core.codec.DatagramCodec;
import dev.mbus.core.message.Command;
import dev.mbus.core.message.Message;
import dev.mbus.core.message.MbusValue;
import dev.mbus.core.message.SymbolValue;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * What kind of implementation a peer is, told from what it sends, and what that lets it take.
 * The only place the engine recognises peers; the rules, in this order:
 * <ol>
 * <li>{@link #UCL}: its datagrams come from the bus port. The UCL tools (RAT, vic, sdr) send
 * from their one socket, bound to the bus port with {@code SO_REUSEPORT}, so every one of them
 * on a host has the same endpoint; whatever else sends from the bus port shares it too.</li>
 * <li>{@link #OURS}: its hello carries the argument {@link #HELLO_MARK}, and it does not send
 * from the bus port. This library's entities send from a socket of their own, bound without
 * address reuse, so that nothing else can receive at their endpoint. Other implementations
 * ignore a hello's arguments (the UCL tools hand them to applications, which ignore them).</li>
 * <li>{@link #OTHER}: anything else, such as gmbus or one of ours not yet heard saying hello.</li>
 * </ol>
 */
public enum PeerKind {

    /** A UCL tool: 1,500-byte receive buffers, one reliable message in flight, a shared endpoint. */
    UCL(1500, false, false),
    /** An entity of this library: any datagram, a window of reliable messages, an endpoint of its own. */
    OURS(DatagramCodec.MAX_DATAGRAM_BYTES, true, true),
    /** Not known to be either: nothing known to limit size or window, but no unicast. */
    OTHER(DatagramCodec.MAX_DATAGRAM_BYTES, true, false);

    /** The argument of this library's {@code mbus.hello}: {@code mbus.hello (dev.mbus)}. */
    public static final SymbolValue HELLO_MARK = new SymbolValue("dev.mbus");
    /** The hello this library's entities send. */
    public static final Command HELLO = new Command("mbus.hello", List.of(HELLO_MARK));

    private final int maxDatagramBytes;
    private final boolean takesWindow;
    private final boolean unicastSafe;

    PeerKind(int maxDatagramBytes, boolean takesWindow, boolean unicastSafe) {
        this.maxDatagramBytes = maxDatagramBytes;
        this.takesWindow = takesWindow;
        this.unicastSafe = unicastSafe;
    }

    /** The largest datagram it is known to receive whole. */
    public int maxDatagramBytes() {
        return maxDatagramBytes;
    }

    /**
     * Whether it may have many reliable messages in flight from one sender. When not, it gets one
     * at a time: a stop-and-wait receiver that remembers only the last number would take the
     * retransmission of an earlier message, arriving after a later one, for a new message.
     */
    public boolean takesWindow() {
        return takesWindow;
    }

    /** Whether a datagram sent to its endpoint reaches it and nobody else. */
    public boolean unicastSafe() {
        return unicastSafe;
    }

    /**
     * The kind of a peer heard from {@code endpoint}.
     *
     * @param busPort     the port every entity of the bus binds
     * @param saidOurHello whether this message is this library's hello
     * @param before      what it was taken for so far at the same endpoint, or null when new or moved
     */
    public static PeerKind recognise(InetSocketAddress endpoint, int busPort, boolean saidOurHello, PeerKind before) {
        if (endpoint.getPort() == busPort) {
            return UCL;
        }
        return saidOurHello || before == OURS ? OURS : OTHER;
    }

    /** Whether {@code message} carries this library's hello. */
    public static boolean isOurHello(Message message) {
        for (Command command : message.commands()) {
            if (command.name().equals(HELLO.name())) {
                List<MbusValue> args = command.args();
                return !args.isEmpty() && HELLO_MARK.equals(args.get(0));
            }
        }
        return false;
    }
}
