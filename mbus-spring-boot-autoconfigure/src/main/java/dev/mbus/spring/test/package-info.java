/**
 * Test support: {@link dev.mbus.spring.test.EmbeddedMbus @EmbeddedMbus} gives a Spring test
 * context a private bus on loopback, {@link dev.mbus.spring.test.MbusListenerTestHarness} awaits
 * listener calls, {@link dev.mbus.spring.test.MbusTestBus} makes the same bus for other
 * contexts ({@code ApplicationContextRunner}, a second {@code SpringApplication}).
 *
 * <p>It lives in the auto-configuration jar and needs only {@code spring-test} (which
 * {@code spring-boot-starter-test} brings): the context customizer factory is registered in
 * this jar's {@code META-INF/spring.factories} and does nothing for test classes without the
 * annotation.
 */
package dev.mbus.spring.test;
