package dev.mbus.spring.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives the Spring test context of the annotated class a private Mbus bus: a free UDP port on
 * loopback, HOSTLOCAL scope, fresh inline keys, written into the {@code mbus.*} properties
 * before the context starts (see {@link MbusTestBus}). The context also gets two beans:
 * the {@link MbusTestBus}, whose properties let another context join the same bus, and an
 * {@link MbusListenerTestHarness} to await listener calls.
 *
 * <pre>{@code
 * @SpringBootTest
 * @EmbeddedMbus(address = "(app:player)")
 * class PlayerTests {
 *     @Autowired MbusTestBus bus;
 *     @Autowired MbusListenerTestHarness harness;
 *
 *     @Test
 *     void volume() throws Exception {
 *         try (MbusEntity tester = bus.startEntity("(app:tester)")) {   // entities do not hear themselves
 *             tester.awaitPeer(Address.parse("(app:player)"), Duration.ofSeconds(5)).get();
 *             tester.sendReliable(Address.parse("(app:player)"), Command.of("tool.rat.volume", 7)).get();
 *         }
 *         assertThat(harness.awaitCommand("tool.rat.volume", Duration.ofSeconds(5)).arguments()).containsExactly(7);
 *     }
 * }
 * }</pre>
 *
 * Another application joins the same bus with {@link MbusTestBus#initializer}. Requires
 * {@code spring-test} (from {@code spring-boot-starter-test}); nothing else to register.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface EmbeddedMbus {

    /** {@code mbus.entity.address} of the context's entity; by default the application's own setting. */
    String address() default "";
}
