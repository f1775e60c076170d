/**
 * Listener containers: one per {@code @MbusListener} method, kept by the
 * {@link dev.mbus.spring.listener.MbusListenerEndpointRegistry}, which starts and stops them
 * with the application context or by id.
 */
package dev.mbus.spring.listener;
