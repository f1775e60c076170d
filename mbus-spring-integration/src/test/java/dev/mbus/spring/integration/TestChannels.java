package dev.mbus.spring.integration;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.channel.QueueChannel;

/** The channels the tests read what flows produced from: {@code out}, {@code sent} and {@code errors}. */
@Configuration(proxyBeanMethods = false)
class TestChannels {

    @Bean
    QueueChannel out() {
        return new QueueChannel();
    }

    @Bean
    QueueChannel sent() {
        return new QueueChannel();
    }

    @Bean
    QueueChannel errors() {
        return new QueueChannel();
    }
}
