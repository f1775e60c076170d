package dev.mbus.spring.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mbus.core.engine.IncomingCommand;
import dev.mbus.core.message.IntegerValue;
import dev.mbus.core.message.ListValue;
import dev.mbus.core.message.MbusValue;
import dev.mbus.core.message.StringValue;
import dev.mbus.core.message.SymbolValue;
import dev.mbus.spring.annotation.EnableMbus;
import dev.mbus.spring.annotation.MbusListener;
import dev.mbus.spring.core.MbusEngine;
import dev.mbus.spring.test.MbusTestBus;
import dev.mbus.spring.listener.MbusListenerEndpointRegistry;
import dev.mbus.spring.support.BusFixture.Seen;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.validation.beanvalidation.LocalValidatorFactoryBean;

/** Listener arguments and replies converted through Spring's conversion service and Jackson. */
class ListenerConversionTests {

    private final BusFixture fixture = new BusFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    /** A JavaBean, not a record: it travels as JSON. */
    public static class Track {
        private String title;
        private int playSeconds;

        public Track() {
        }

        public Track(String title, int playSeconds) {
            this.title = title;
            this.playSeconds = playSeconds;
        }

        public String getTitle() {
            return title;
        }

        public void setTitle(String title) {
            this.title = title;
        }

        public int getPlaySeconds() {
            return playSeconds;
        }

        public void setPlaySeconds(int playSeconds) {
            this.playSeconds = playSeconds;
        }
    }

    /** A type of the application's own, converted by its Converter beans. */
    public record Money(long cents) {
    }

    public record Volume(@Min(0) int level, String unit) {
    }

    static class Listeners {
        final Seen seen = new Seen();

        @MbusListener("conv.time")
        void time(Instant at, UUID id, Duration every) {
            seen.add(at, id, every);
        }

        @MbusListener("conv.track")
        void track(Track track, Map<String, Integer> counts) {
            seen.add(track.getTitle(), track.getPlaySeconds(), counts);
        }

        @MbusListener("conv.newest")
        Track newest(String title) {
            return new Track(title, 90);
        }

        @MbusListener("conv.counts")
        Map<String, Integer> counts() {
            return Map.of("plays", 3);
        }

        @MbusListener("conv.price")
        Money price(Money base) {
            return new Money(base.cents() * 2);
        }

        @MbusListener("conv.volume")
        void volume(@Valid @Payload Volume volume) {
            seen.add(volume);
        }

        @MbusListener("conv.level")
        void level(@Valid Volume volume) {
            seen.add(volume);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class App {
        @Bean
        Listeners listeners() {
            return new Listeners();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class MoneyConverters {
        @Bean
        Converter<String, Money> moneyFromText() {
            return text -> new Money(Math.round(Double.parseDouble(text.replace("EUR", "").strip()) * 100));
        }

        @Bean
        Converter<Money, MbusValue> moneyToMbus() {
            return money -> new StringValue(money.cents() / 100 + "." + String.format("%02d", money.cents() % 100) + " EUR");
        }
    }

    @Test
    void instantsUuidsAndDurationsComeFromStrings() throws Exception {
        fixture.runner().withUserConfiguration(App.class).run(context -> {
            assertThat(context).hasNotFailed();
            UUID id = UUID.randomUUID();
            fixture.send("conv.time", "2024-01-02T03:04:05Z", id.toString(), "10s");
            assertThat(context.getBean(Listeners.class).seen.next())
                    .containsExactly(Instant.parse("2024-01-02T03:04:05Z"), id, Duration.ofSeconds(10));
        });
    }

    @Test
    void javaBeansAndMapsTravelAsJsonThroughTheApplicationsMapper() throws Exception {
        fixture.runner().withUserConfiguration(App.class)
                .withPropertyValues("spring.jackson.property-naming-strategy=SNAKE_CASE").run(context -> {
            fixture.send("conv.track", "{\"title\":\"intro\",\"play_seconds\":61}", "{\"plays\":2}");
            assertThat(context.getBean(Listeners.class).seen.next()).containsExactly("intro", 61, Map.of("plays", 2));

            IncomingCommand reply = fixture.request("conv.newest", "outro");
            assertThat(reply.command().args()).containsExactly(new StringValue("{\"title\":\"outro\",\"play_seconds\":90}"));
            assertThat(fixture.request("conv.counts").command().args())
                    .containsExactly(new StringValue("{\"plays\":3}"));
        });
    }

    @Test
    void theApplicationsConverterBeansConvertArgumentsAndReplies() throws Exception {
        fixture.runner().withUserConfiguration(App.class, MoneyConverters.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(fixture.request("conv.price", "1.25 EUR").command().args())
                    .containsExactly(new StringValue("2.50 EUR"));
            assertThat(context.getBean(MbusValueConverter.class).toMbus(new Money(5)))
                    .isEqualTo(new StringValue("0.05 EUR"));
        });
    }

    @Test
    void validPayloadsAreValidatedWithTheContextsValidator() throws Exception {
        fixture.runner().withUserConfiguration(App.class).run(context -> {
            MbusListenerEndpointRegistry registry = context.getBean(MbusListenerEndpointRegistry.class);
            Seen seen = context.getBean(Listeners.class).seen;
            fixture.send("conv.volume", -1, "dB");
            fixture.send("conv.volume", 4, "dB");
            assertThat(seen.next()).containsExactly(new Volume(4, "dB"));
            fixture.send("conv.level", ListValue.of(-3, "dB"));
            fixture.send("conv.level", ListValue.of(3, "dB"));
            assertThat(seen.next()).containsExactly(new Volume(3, "dB"));
            assertThat(registry.getListenerContainer("listeners.volume").getErrorCount()).isOne();
            assertThat(registry.getListenerContainer("listeners.level").getErrorCount()).isOne();
        });
    }

    @Configuration(proxyBeanMethods = false)
    @EnableMbus
    static class PlainSpringApp {
        @Bean
        MbusEngine mbusEngine(MbusTestBus bus) {
            return new MbusEngine(() -> bus.entityConfig("(app:unit)").build());
        }

        @Bean
        LocalValidatorFactoryBean validator() {
            return new LocalValidatorFactoryBean();
        }
    }

    @Test
    void withoutBootArgumentsAndRepliesUseTheSameConverterBeans() throws Exception {
        try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
            context.registerBean(MbusTestBus.class, fixture::bus);
            context.register(PlainSpringApp.class, App.class, MoneyConverters.class);
            context.refresh();
            assertThat(fixture.request("conv.price", "1.25 EUR").command().args())
                    .containsExactly(new StringValue("2.50 EUR"));
        }
    }

    @Test
    void integersNarrowWithinRangeAndSymbolsBecomeEnums() {
        fixture.runner().run(context -> {
            MbusValueConverter converter = context.getBean(MbusValueConverter.class);
            assertThat(converter.fromMbus(new IntegerValue(7), short.class, "argument 0 of x")).isEqualTo((short) 7);
            assertThat(converter.fromMbus(new SymbolValue("seconds"), java.util.concurrent.TimeUnit.class, "a"))
                    .isEqualTo(java.util.concurrent.TimeUnit.SECONDS);
        });
    }
}
