package dev.mbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mbus.core.engine.IncomingCommand;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import dev.mbus.core.message.Message;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The printer of {@code mbus listen}: each message once, whatever the number of senders. */
class ListenPrinterTest {

    private static final InetSocketAddress SENDER = new InetSocketAddress("127.0.0.1", 47000);

    private static Message message(Address source, long sequence, Command... commands) {
        return new Message(sequence, 1_000, false, source, Address.BROADCAST, List.of(), List.of(commands));
    }

    /** Hands the printer each command of {@code message}, as the entity's handler thread does. */
    private static void deliver(ListenCommand.Printer printer, Message message) {
        for (Command command : message.commands()) {
            printer.print(new IncomingCommand(command, message, SENDER));
        }
    }

    @Test
    void printsAMessageOfSeveralCommandsOnceWhileOtherSendersInterleave() {
        StringWriter out = new StringWriter();
        ListenCommand.Printer printer = new ListenCommand.Printer(new PrintWriter(out), false, false);
        Message first = message(Address.of("app:a"), 1, Command.of("t.one", 1), Command.of("t.two", 2));
        Message second = message(Address.of("app:b"), 1, Command.of("t.three"), Command.of("t.four"));

        // One sender's commands come one after another, but other senders' run in between.
        printer.print(new IncomingCommand(first.commands().get(0), first, SENDER));
        printer.print(new IncomingCommand(second.commands().get(0), second, SENDER));
        printer.print(new IncomingCommand(first.commands().get(1), first, SENDER));
        printer.print(new IncomingCommand(second.commands().get(1), second, SENDER));
        // Equal commands, as a message may repeat one: still the message once.
        deliver(printer, message(Address.of("app:a"), 2, Command.of("t.same", 1), Command.of("t.same", 1)));

        assertThat(out.toString()).isEqualTo(
                "# 127.0.0.1:47000\nmbus/1.0 1 1000 U (app:a) () ()\nt.one (1)\nt.two (2)\n"
                        + "# 127.0.0.1:47000\nmbus/1.0 1 1000 U (app:b) () ()\nt.three ()\nt.four ()\n"
                        + "# 127.0.0.1:47000\nmbus/1.0 2 1000 U (app:a) () ()\nt.same (1)\nt.same (1)\n");
    }

    @Test
    void keepsNoMessageOncePrintedWhateverTheNumberOfSenders() {
        HeaderCounter out = new HeaderCounter();
        ListenCommand.Printer printer = new ListenCommand.Printer(new PrintWriter(out), false, false);
        int senders = 300_000;
        List<WeakReference<Message>> sample = new ArrayList<>();
        for (int i = 0; i < senders; i++) {
            Command[] commands = new Command[1 + i % 3];
            for (int c = 0; c < commands.length; c++) {
                commands[c] = Command.of("t.cmd", c);
            }
            Message message = message(Address.of("app:flood", "id:" + i), 1, commands);
            deliver(printer, message);
            if (i % 1_000 == 1) {
                sample.add(new WeakReference<>(message));
            }
        }
        assertThat(out.headers).isEqualTo(senders);

        // Nothing but the printer could keep these messages: once collected, it kept none.
        for (int attempt = 0; attempt < 10 && stillReachable(sample) > 0; attempt++) {
            System.gc();
        }
        assertThat(stillReachable(sample)).isZero();
        Reference.reachabilityFence(printer);
    }

    private static long stillReachable(List<WeakReference<Message>> references) {
        return references.stream().filter(reference -> reference.get() != null).count();
    }

    /** Counts the '# IP:PORT' lines that start each printed message and keeps nothing else. */
    private static final class HeaderCounter extends Writer {
        int headers;
        private boolean atLineStart = true;

        @Override
        public void write(char[] chars, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                if (atLineStart && chars[i] == '#') {
                    headers++;
                }
                atLineStart = chars[i] == '\n';
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
