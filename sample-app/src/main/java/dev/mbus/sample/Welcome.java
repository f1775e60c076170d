package dev.mbus.sample;

import dev.mbus.spring.core.MbusEngine;
import dev.mbus.spring.core.TransportInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** Tells whoever started the application where to look and what to try. */
@Component
class Welcome {

    private static final Logger log = LoggerFactory.getLogger(Welcome.class);

    private final MbusEngine engine;
    private final SampleProperties properties;
    private final Environment environment;

    Welcome(MbusEngine engine, SampleProperties properties, Environment environment) {
        this.engine = engine;
        this.properties = properties;
        this.environment = environment;
    }

    @EventListener
    void ready(ApplicationReadyEvent event) {
        String port = environment.getProperty("local.server.port");
        String page = port == null ? "no page (not a web application)" : "page http://localhost:" + port + "/";
        log.info("Sample {} ready as {}: {}", properties.role().name().toLowerCase(), engine.address(), page);
        TransportInfo transport = engine.transportInfo();
        String busPort = transport != null && transport.port() != 47000 ? " --port " + transport.port() : "";
        if (properties.role() == SampleProperties.Role.PLAYER) {
            log.info("Try it: bin/mbus send \"(app:sample-player)\" player.volume \"(42)\" --reliable{}   "
                    + "or start a controller: mvn -q -pl sample-app -am spring-boot:run -Dspring-boot.run.profiles=controller",
                    busPort);
        } else if (properties.role() == SampleProperties.Role.BRIDGE) {
            log.info("Standing on the bus for the entities of the other buses: see /actuator/health (bridge) and "
                    + "/actuator/metrics/bridge.forwarded");
        } else {
            log.info("Driving every {} on the bus; see also: bin/mbus listen --all{}", properties.player(), busPort);
        }
    }
}
