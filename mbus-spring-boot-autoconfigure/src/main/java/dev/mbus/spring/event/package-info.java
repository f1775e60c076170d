/**
 * Spring application events for what the engine learns about the bus: it started, a peer
 * joined or left, another entity asked this one to quit. Listen with {@code @EventListener}.
 * They are published on the engine's handler threads, in order per source entity.
 */
package dev.mbus.spring.event;
