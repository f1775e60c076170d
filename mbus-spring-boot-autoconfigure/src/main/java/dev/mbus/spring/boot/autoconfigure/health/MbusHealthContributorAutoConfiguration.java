package dev.mbus.spring.boot.autoconfigure.health;

import dev.mbus.core.message.Address;
import dev.mbus.spring.actuate.health.MbusHealthIndicator;
import dev.mbus.spring.boot.autoconfigure.MbusAutoConfiguration;
import dev.mbus.spring.boot.autoconfigure.MbusProperties;
import dev.mbus.spring.boot.diagnostics.MbusPropertyChecks;
import dev.mbus.spring.core.MbusEngine;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code mbus} health indicator, when {@code spring-boot-health} is present and
 * {@code management.health.mbus.enabled} is not false.
 */
@AutoConfiguration(after = MbusAutoConfiguration.class,
        afterName = "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration")
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(MbusEngine.class)
@ConditionalOnEnabledHealthIndicator("mbus")
public final class MbusHealthContributorAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "mbusHealthIndicator")
    MbusHealthIndicator mbusHealthIndicator(MbusEngine engine, MbusProperties properties) {
        List<String> required = properties.health().requiredPeers();
        List<Address> peers = new ArrayList<>(required.size());
        for (int i = 0; i < required.size(); i++) {
            peers.add(MbusPropertyChecks.address("mbus.health.required-peers[" + i + "]", required.get(i)));
        }
        return new MbusHealthIndicator(engine, peers);
    }
}
