package dev.mbus.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mbus.core.InvalidDatagramException;
import dev.mbus.core.config.MbusConfig;
import dev.mbus.core.config.MbusConfigFile;
import dev.mbus.core.engine.Batching;
import dev.mbus.core.engine.EntityConfig;
import dev.mbus.core.engine.MbusEntity;
import dev.mbus.core.engine.SkewedClock;
import dev.mbus.core.message.Address;
import dev.mbus.core.security.CipherAlgorithm;
import dev.mbus.core.security.HashAlgorithm;
import dev.mbus.core.security.MbusKeys;
import dev.mbus.core.transport.Scope;
import dev.mbus.core.transport.TransportSettings;
import dev.mbus.spring.actuate.endpoint.MbusEndpoint;
import dev.mbus.spring.actuate.health.MbusHealthIndicator;
import dev.mbus.spring.actuate.metrics.MbusMetrics;
import dev.mbus.spring.annotation.MbusListener;
import dev.mbus.spring.annotation.MbusListenerAnnotationBeanPostProcessor;
import dev.mbus.spring.boot.autoconfigure.endpoint.MbusEndpointAutoConfiguration;
import dev.mbus.spring.boot.autoconfigure.health.MbusHealthContributorAutoConfiguration;
import dev.mbus.spring.boot.autoconfigure.metrics.MbusMetricsAutoConfiguration;
import dev.mbus.spring.boot.autoconfigure.observation.MbusObservationAutoConfiguration;
import dev.mbus.spring.core.MbusEngine;
import dev.mbus.spring.core.MbusOperations;
import dev.mbus.spring.core.MbusTemplate;
import dev.mbus.spring.listener.MbusListenerEndpointRegistry;
import dev.mbus.spring.observation.MbusListenerObservationInterceptor;
import dev.mbus.spring.observation.MbusTemplateObservationInterceptor;
import dev.mbus.spring.support.MbusValueConverter;
import dev.mbus.spring.test.MbusTestBus;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class MbusAutoConfigurationTests {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final MbusTestBus bus = MbusTestBus.create();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MbusAutoConfiguration.class,
                    MbusHealthContributorAutoConfiguration.class, MbusMetricsAutoConfiguration.class,
                    MbusObservationAutoConfiguration.class, MbusEndpointAutoConfiguration.class))
            .withPropertyValues(bus.propertyValues("(app:unit)"));

    @Test
    void defaultBeansAreThereAndTheEngineRuns() {
        runner.run(context -> {
            assertThat(context).hasNotFailed()
                    .hasSingleBean(MbusEngine.class)
                    .hasSingleBean(MbusTemplate.class)
                    .hasSingleBean(MbusValueConverter.class)
                    .hasSingleBean(MbusListenerEndpointRegistry.class)
                    .hasBean(MbusListenerAnnotationBeanPostProcessor.BEAN_NAME)
                    .hasBean(MbusListenerEndpointRegistry.BEAN_NAME)
                    .hasSingleBean(MbusMetrics.class)
                    .hasSingleBean(MbusHealthIndicator.class)
                    .hasBean("mbusHealthIndicator")
                    .doesNotHaveBean(MbusTemplateObservationInterceptor.class)
                    .doesNotHaveBean(MbusListenerObservationInterceptor.class)
                    .doesNotHaveBean(MbusEndpoint.class)
                    .doesNotHaveBean(MbusAutoConfiguration.HANDLER_EXECUTOR_BEAN_NAME);
            MbusEngine engine = context.getBean(MbusEngine.class);
            assertThat(engine.isRunning()).isTrue();
            assertThat(engine.address().contains("app:unit")).isTrue();
            assertThat(engine.address().get("id")).isNotBlank();
            assertThat(engine.transportInfo().port()).isEqualTo(bus.port());
            assertThat(engine.transportInfo().scope()).isEqualTo("HOSTLOCAL");
            assertThat(engine.transportInfo().localEndpoint().getAddress().isLoopbackAddress()).isTrue();
            assertThat(context.getBean(HealthIndicator.class).health().getStatus()).isEqualTo(Status.UP);
        });
    }

    @Test
    void theEngineStopsWithTheContext() {
        MbusEngine[] engine = new MbusEngine[1];
        runner.run(context -> engine[0] = context.getBean(MbusEngine.class));
        assertThat(engine[0].isRunning()).isFalse();
        assertThat(engine[0].address()).isNull();
    }

    @Test
    void propertiesAreBound() {
        runner.withPropertyValues("mbus.transport.receive-buffer=1MB", "mbus.transport.unicast=false",
                "mbus.batching.linger=200us", "mbus.batching.max-datagram-size=4KB",
                "mbus.batching.max-own-datagram-size=16KB",
                "mbus.reliable.retransmit-base=50ms", "mbus.reliable.max-retransmissions=5", "mbus.reliable.window=8",
                "mbus.reliable.window-bytes=256KB",
                "mbus.hello.min-interval=500ms", "mbus.hello.dead-intervals=7",
                "mbus.health.required-peers=(app:a),(app:b module:c)", "mbus.template.default-destination=(app:ui)",
                "mbus.template.reply-timeout=2s", "mbus.shutdown.timeout=1s", "mbus.listener.auto-startup=false",
                "mbus.security.hash-algorithm=HMAC-SHA1-96", "mbus.reliable.max-delay=250ms",
                "mbus.inbound.freshness=30s", "mbus.inbound.max-bytes=8MB", "mbus.inbound.max-bytes-per-sender=1MB")
                .run(context -> {
                    MbusProperties properties = context.getBean(MbusProperties.class);
                    assertThat(properties.transport().port()).isEqualTo(bus.port());
                    assertThat(properties.transport().networkInterface()).isEqualTo("127.0.0.1");
                    assertThat(properties.transport().scope()).isEqualTo(Scope.HOSTLOCAL);
                    assertThat(properties.transport().receiveBuffer().toBytes()).isEqualTo(1024 * 1024);
                    assertThat(properties.transport().unicast()).isFalse();
                    assertThat(properties.reliable().retransmitBase()).isEqualTo(Duration.ofMillis(50));
                    assertThat(properties.reliable().maxRetransmissions()).isEqualTo(5);
                    assertThat(properties.hello().deadIntervals()).isEqualTo(7);
                    assertThat(properties.health().requiredPeers()).containsExactly("(app:a)", "(app:b module:c)");
                    assertThat(properties.security().hashAlgorithm()).isEqualTo(HashAlgorithm.HMAC_SHA1_96);
                    assertThat(properties.security().toString()).doesNotContain(bus.properties().get("mbus.security.hash-key"));
                    MbusTemplate template = context.getBean(MbusTemplate.class);
                    assertThat(template.getDefaultDestination()).isEqualTo(Address.parse("(app:ui)"));
                    assertThat(template.getReplyTimeout()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(context.getBean(MbusEngine.class).getShutdownTimeout()).isEqualTo(Duration.ofSeconds(1));
                    // The same factory the engine used, once more: what the properties made.
                    EntityConfig config = new MbusEntityConfigFactory(properties, null, null, java.util.List.of()).get();
                    assertThat(config.timers().retransmitBase()).isEqualTo(Duration.ofMillis(50));
                    assertThat(config.timers().maxRetransmissions()).isEqualTo(5);
                    assertThat(config.timers().helloMin()).isEqualTo(Duration.ofMillis(500));
                    assertThat(config.reliableWindow()).isEqualTo(8);
                    assertThat(config.reliableWindowBytes()).isEqualTo(256 * 1024);
                    assertThat(config.unicast()).isFalse();
                    assertThat(config.batching()).isEqualTo(new Batching(Duration.ofNanos(200_000), 4096, 16384));
                    assertThat(config.transportSettings().port()).isEqualTo(bus.port());
                    assertThat(config.transportSettings().receiveBufferBytes()).isEqualTo(1024 * 1024);
                    assertThat(config.keys().hashAlgorithm()).isEqualTo(HashAlgorithm.HMAC_SHA1_96);
                    assertThat(config.maxDelay()).isEqualTo(Duration.ofMillis(250));
                    assertThat(config.freshness()).isEqualTo(Duration.ofSeconds(30));
                    assertThat(config.maxInboundBytes()).isEqualTo(8L << 20);
                    assertThat(config.maxInboundBytesPerSender()).isEqualTo(1L << 20);
                });
    }

    @Test
    void unsetPropertiesKeepTheEngineDefaults() {
        EntityConfig engineDefaults = EntityConfig.builder()
                .keys(MbusKeys.generate(HashAlgorithm.HMAC_MD5_96, CipherAlgorithm.NOENCR, new SecureRandom())).build();
        runner.run(context -> {
            EntityConfig config = new MbusEntityConfigFactory(context.getBean(MbusProperties.class), null, null,
                    java.util.List.of()).get();
            assertThat(config.freshness()).isEqualTo(EntityConfig.DEFAULT_FRESHNESS);
            assertThat(config.maxDelay()).isEqualTo(engineDefaults.maxDelay());
            assertThat(config.maxInboundBytes()).isEqualTo(engineDefaults.maxInboundBytes());
            assertThat(config.maxInboundBytesPerSender()).isEqualTo(engineDefaults.maxInboundBytesPerSender());
            assertThat(config.reliableWindow()).isEqualTo(engineDefaults.reliableWindow());
            assertThat(config.reliableWindowBytes()).isEqualTo(engineDefaults.reliableWindowBytes());
        });
    }

    @Test
    void theRunningEngineTakesMessagesWithinTheConfiguredFreshness() {
        // 30 s behind is stale by the default 10 s, fresh by one minute; both sides take each other's hellos.
        runner.withPropertyValues("mbus.inbound.freshness=1m").run(context -> {
            MbusEngine engine = context.getBean(MbusEngine.class);
            try (MbusEntity behind = bus.startEntity("(app:behind)",
                    builder -> builder.clock(SkewedClock.behind(Duration.ofSeconds(30))).freshness(Duration.ofMinutes(1)))) {
                await().atMost(WAIT).until(() -> engine.peers().stream()
                        .anyMatch(peer -> peer.address().equals(behind.address())));
            }
            assertThat(engine.stats().dropped().getOrDefault(InvalidDatagramException.Reason.STALE, 0L)).isZero();
        });
    }

    @Test
    void staleMessagesAreCountedInTheMetersAndTheEndpoint() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=mbus").run(context -> {
            MbusEngine engine = context.getBean(MbusEngine.class);
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            context.getBean(MbusMetrics.class).bindTo(meters);
            try (MbusEntity behind = bus.startEntity("(app:behind)",
                    builder -> builder.clock(SkewedClock.behind(Duration.ofSeconds(30))))) {
                await().atMost(WAIT).until(() -> context.getBean(MbusEndpoint.class).mbus().counters()
                        .get("dropped.stale") > 0);
                assertThat(meters.get("mbus.datagrams.dropped").tag("reason", "stale").functionCounter().count())
                        .isPositive();
                assertThat(engine.peers()).noneMatch(peer -> peer.address().equals(behind.address()));
            }
        });
    }

    @Test
    void inboundBoundsBelowOneDatagramFailNamingTheProperties() {
        runner.withPropertyValues("mbus.inbound.max-bytes-per-sender=60KB").run(context -> {
            assertThat(context).hasFailed();
            assertThat(rootMessages(context.getStartupFailure()))
                    .contains("mbus.inbound.max-bytes-per-sender", "65507 bytes");
        });
    }

    @Test
    void theApplicationNameIsTheDefaultAddress() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(MbusAutoConfiguration.class))
                .withPropertyValues(bus.propertyValues()).withPropertyValues("spring.application.name=jukebox")
                .run(context -> assertThat(context.getBean(MbusEngine.class).address().contains("app:jukebox")).isTrue());
    }

    @Test
    void keysAndBusComeFromTheConfigFileWhenNoneAreInline(@TempDir Path folder) {
        Path file = folder.resolve("bus.mbus");
        int filePort = MbusTestBus.create().port();
        MbusConfigFile.write(file, new MbusConfig(MbusKeys.generate(HashAlgorithm.HMAC_MD5_96, CipherAlgorithm.AES,
                new SecureRandom()), Scope.HOSTLOCAL, MbusConfig.DEFAULT_GROUP, filePort, Map.of()), false);
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(MbusAutoConfiguration.class))
                .withPropertyValues("mbus.transport.interface=127.0.0.1", "mbus.security.config-file=" + file)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(MbusEngine.class).transportInfo().port()).isEqualTo(filePort);
                });
        Path created = folder.resolve("new.mbus");
        TransportSettings settings = MbusEntityConfigFactory.transportSettings(
                new MbusProperties.Transport(null, 47123, "lo", null, false, org.springframework.util.unit.DataSize.ofMegabytes(4), true),
                MbusConfigFile.loadOrCreate(created));
        assertThat(settings.port()).isEqualTo(47123);
        assertThat(settings.scope()).isEqualTo(Scope.HOSTLOCAL);
        assertThat(created).exists();
    }

    @Test
    void badInlineKeysFailWithoutShowingThem() {
        runner.withPropertyValues("mbus.security.hash-key=not*base64!secret").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("mbus.security.hash-key is not valid Base64");
            assertThat(rootMessages(context.getStartupFailure())).doesNotContain("not*base64!secret");
        });
        runner.withPropertyValues("mbus.security.cipher=DES", "mbus.security.cipher-key=AAAA").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("DES key must be 8 bytes");
        });
    }

    private static String rootMessages(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }

    @Test
    void backsOffForUserBeans() {
        runner.withUserConfiguration(UserBeans.class).run(context -> {
            assertThat(context).hasSingleBean(MbusEngine.class).hasBean("myEngine")
                    .hasSingleBean(MbusOperations.class).hasBean("myOperations").doesNotHaveBean("mbusTemplate")
                    .hasSingleBean(MbusValueConverter.class).hasBean("myConverter")
                    .hasBean("mbusHealthIndicator");
            assertThat(context.getBean("mbusHealthIndicator")).isNotInstanceOf(MbusHealthIndicator.class);
            assertThat(context.getBean(MbusMetrics.class)).isSameAs(context.getBean("myMetrics"));
        });
    }

    @Test
    void customizersApply() {
        runner.withUserConfiguration(Customizers.class).run(context -> {
            assertThat(context.getBean(MbusTemplate.class).getReplyTimeout()).isEqualTo(Duration.ofMillis(1234));
            assertThat(context.getBean(MbusEngine.class).address().contains("customized:yes")).isTrue();
        });
    }

    @Test
    void healthAndMetricsOnlyWithTheirClasses() {
        runner.withClassLoader(new FilteredClassLoader(MeterBinder.class)).run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(MbusMetrics.class).hasSingleBean(MbusHealthIndicator.class));
        runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class)).run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(MbusHealthIndicator.class).hasSingleBean(MbusMetrics.class));
        runner.withPropertyValues("management.health.mbus.enabled=false").run(context ->
                assertThat(context).doesNotHaveBean(MbusHealthIndicator.class));
    }

    @Test
    void observationOnlyWhenEnabledAndARegistryExists() {
        runner.withPropertyValues("mbus.template.observation-enabled=true", "mbus.listener.observation-enabled=true")
                .run(context -> assertThat(context).doesNotHaveBean(MbusTemplateObservationInterceptor.class));
        runner.withBean(ObservationRegistry.class, ObservationRegistry::create)
                .withPropertyValues("mbus.template.observation-enabled=true", "mbus.listener.observation-enabled=true")
                .run(context -> {
                    assertThat(context).hasSingleBean(MbusTemplateObservationInterceptor.class)
                            .hasSingleBean(MbusListenerObservationInterceptor.class);
                });
        runner.withClassLoader(new FilteredClassLoader(ObservationRegistry.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(MbusTemplateObservationInterceptor.class));
    }

    @Test
    void theEndpointWhenExposed() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=mbus").run(context -> {
            assertThat(context).hasSingleBean(MbusEndpoint.class);
            MbusEndpoint.MbusDescriptor descriptor = context.getBean(MbusEndpoint.class).mbus();
            assertThat(descriptor.running()).isTrue();
            assertThat(descriptor.counters()).containsKey("dropped.bad_digest");
            assertThat(descriptor.toString()).doesNotContain(bus.properties().get("mbus.security.hash-key"));
        });
    }

    @Test
    @EnabledForJreRange(max = JRE.JAVA_20)
    void noVirtualThreadsBeforeJava21() {
        runner.withPropertyValues("spring.threads.virtual.enabled=true")
                .run(context -> assertThat(context).doesNotHaveBean(MbusAutoConfiguration.HANDLER_EXECUTOR_BEAN_NAME));
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21)
    void listenersOnVirtualThreadsWhenEnabled() {
        runner.withPropertyValues("spring.threads.virtual.enabled=true")
                .run(context -> assertThat(context).hasBean(MbusAutoConfiguration.HANDLER_EXECUTOR_BEAN_NAME));
    }

    @Test
    void listenersAreFoundOnProxiedBeans() {
        runner.withUserConfiguration(ProxiedListenerConfig.class).run(context -> {
            MbusListenerEndpointRegistry registry = context.getBean(MbusListenerEndpointRegistry.class);
            assertThat(registry.getListenerContainerIds()).containsExactlyInAnyOrder("proxied", "service.other");
            assertThat(registry.getListenerContainer("proxied").isRunning()).isTrue();
            assertThat(registry.getListenerContainer("proxied").getEndpoint().getCommands()).containsExactly("app.ping", "app.cfg.*");
            assertThat(org.springframework.aop.support.AopUtils.isAopProxy(context.getBean("service"))).isTrue();
            assertThat(registry.getListenerContainer("service.other").isRunning()).isFalse(); // autoStartup = "false"
            registry.getListenerContainer("service.other").start();
            assertThat(registry.getListenerContainer("service.other").isRunning()).isTrue();
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class UserBeans {
        @Bean
        MbusEngine myEngine() {
            return new MbusEngine(() -> {
                throw new IllegalStateException("not started in this test");
            }) {
                @Override
                public boolean isAutoStartup() {
                    return false;
                }
            };
        }

        @Bean
        MbusOperations myOperations(MbusEngine engine) {
            return new MbusTemplate(engine);
        }

        @Bean
        MbusValueConverter myConverter() {
            return new MbusValueConverter();
        }

        @Bean
        HealthIndicator mbusHealthIndicator() {
            return () -> org.springframework.boot.health.contributor.Health.up().build();
        }

        @Bean
        MbusMetrics myMetrics(MbusEngine engine) {
            return new MbusMetrics(engine);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Customizers {
        @Bean
        MbusTemplateCustomizer timeout() {
            return template -> template.setReplyTimeout(Duration.ofMillis(1234));
        }

        @Bean
        MbusEntityConfigCustomizer address() {
            return builder -> builder.address(Address.parse("(app:unit customized:yes)"));
        }
    }

    public static class Service {
        @MbusListener(id = "proxied", value = {"app.ping", "${test.pattern:app.cfg.*}"})
        public void ping() {
        }

        @MbusListener(value = "app.other", autoStartup = "false")
        public void other() {
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ProxiedListenerConfig {
        static final AtomicInteger CALLS = new AtomicInteger();

        @Bean
        Service service() {
            return new Service();
        }

        @Bean
        static BeanPostProcessor proxyService() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String beanName) {
                    if (!(bean instanceof Service)) {
                        return bean;
                    }
                    ProxyFactory factory = new ProxyFactory(bean);
                    factory.setProxyTargetClass(true);
                    factory.addAdvice((MethodInterceptor) invocation -> {
                        CALLS.incrementAndGet();
                        return invocation.proceed();
                    });
                    return factory.getProxy();
                }
            };
        }
    }
}
