package dev.mbus.core.engine;

import dev.mbus.core.message.Address;
import dev.mbus.core.transport.LoopbackSupport;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * An entity in a JVM of its own, for tests across processes: answers {@code echo} with
 * {@code echo.return}, counts {@code n}, and leaves when asked with {@code mbus.quit}.
 * Arguments: port, address.
 */
public final class EntityProcess {

    private EntityProcess() {
    }

    public static void main(String[] args) throws Exception {
        EntityConfig config = EntityConfig.builder().address(Address.parse(args[1])).keys(MemoryBus.KEYS)
                .transportSettings(LoopbackSupport.loopback(Integer.parseInt(args[0])))
                .timers(ProtocolTimers.RFC.withHello(Duration.ofMillis(200), Duration.ofMillis(40), 5))
                .build();
        CountDownLatch quit = new CountDownLatch(1);
        try (MbusEntity entity = MbusEntity.start(config)) {
            entity.subscribe("echo", in -> entity.reply(in, in.command().args()));
            entity.onEvent(event -> {
                if (event instanceof MbusEvent.QuitRequested) {
                    quit.countDown();
                }
            });
            System.out.println("ready " + entity.address());
            System.out.flush();
            quit.await();
            entity.close(Duration.ofSeconds(1));
        }
        System.out.println("bye");
    }
}
