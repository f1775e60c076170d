/**
 * Spring Integration channel adapters for Mbus: {@link dev.mbus.spring.integration.MbusInboundChannelAdapter}
 * turns received commands into messages, {@link dev.mbus.spring.integration.MbusMessageHandler} sends
 * messages as commands, and {@link dev.mbus.spring.integration.Mbus} is their Java DSL.
 */
package dev.mbus.spring.integration;
