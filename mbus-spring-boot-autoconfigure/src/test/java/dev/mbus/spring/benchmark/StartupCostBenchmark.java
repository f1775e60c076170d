package dev.mbus.spring.benchmark;

import dev.mbus.spring.test.MbusTestBus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What the starter adds to application startup: a minimal Boot application started again and
 * again with the Mbus auto-configurations and without them (excluded), on a private loopback
 * bus. Prints the figures; asserts nothing. Opt-in, not part of the build:
 *
 * <pre>
 * mvn -pl mbus-spring-boot-autoconfigure -am test -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dtest=StartupCostBenchmark -Dmbus.startup-benchmark=true [-Dmbus.startup-benchmark.first=with]
 * </pre>
 */
@EnabledIfSystemProperty(named = "mbus.startup-benchmark", matches = "true")
class StartupCostBenchmark {

    private static final String MBUS_AUTO_CONFIGURATIONS = String.join(",",
            "dev.mbus.spring.boot.autoconfigure.MbusAutoConfiguration",
            "dev.mbus.spring.boot.autoconfigure.health.MbusHealthContributorAutoConfiguration",
            "dev.mbus.spring.boot.autoconfigure.metrics.MbusMetricsAutoConfiguration",
            "dev.mbus.spring.boot.autoconfigure.observation.MbusObservationAutoConfiguration",
            "dev.mbus.spring.boot.autoconfigure.endpoint.MbusEndpointAutoConfiguration");

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class MinimalApp {
    }

    @Test
    void startupCost() {
        MbusTestBus bus = MbusTestBus.create();
        int rounds = Integer.getInteger("mbus.startup-benchmark.rounds", 30);
        // The first start of a JVM loads most classes; which variant goes first is chosen with
        // -Dmbus.startup-benchmark.first=with|without, so both can be measured cold in two runs.
        boolean withFirst = "with".equals(System.getProperty("mbus.startup-benchmark.first"));
        long first = startMillis(bus, withFirst);
        long second = startMillis(bus, !withFirst);
        for (int i = 0; i < 5; i++) { // warm-up
            startMillis(bus, false);
            startMillis(bus, true);
        }
        List<Long> without = new ArrayList<>();
        List<Long> with = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            without.add(startNanos(bus, false));
            with.add(startNanos(bus, true));
        }
        System.out.printf("%nStartup of a minimal Boot application (no web), %d rounds after 5 warm-up rounds:%n", rounds);
        System.out.printf("  first start in this JVM: %s Mbus %d ms, then %s Mbus %d ms%n", withFirst ? "with" : "without",
                first, withFirst ? "without" : "with", second);
        System.out.printf("  without Mbus: mean %.1f ms, median %.1f ms%n", mean(without), median(without));
        System.out.printf("  with Mbus:    mean %.1f ms, median %.1f ms%n", mean(with), median(with));
        System.out.printf("  added by the starter (start to ready, engine joined): mean %.1f ms, median %.1f ms%n%n",
                mean(with) - mean(without), median(with) - median(without));
    }

    private static long startMillis(MbusTestBus bus, boolean mbus) {
        return startNanos(bus, mbus) / 1_000_000;
    }

    private static long startNanos(MbusTestBus bus, boolean mbus) {
        SpringApplicationBuilder builder = new SpringApplicationBuilder(MinimalApp.class).web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF).logStartupInfo(false).initializers(bus.initializer("(app:bench)"))
                .properties("logging.level.root=WARN");
        if (!mbus) {
            builder.properties("spring.autoconfigure.exclude=" + MBUS_AUTO_CONFIGURATIONS);
        }
        long start = System.nanoTime();
        ConfigurableApplicationContext context = builder.run();
        long elapsed = System.nanoTime() - start;
        context.close();
        return elapsed;
    }

    private static double mean(List<Long> nanos) {
        return nanos.stream().mapToLong(Long::longValue).average().orElse(0) / 1e6;
    }

    private static double median(List<Long> nanos) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        return (sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2.0) / 1e6;
    }
}
