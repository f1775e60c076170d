/**
 * {@link dev.mbus.spring.annotation.MbusListener @MbusListener} and
 * {@link dev.mbus.spring.annotation.EnableMbus @EnableMbus}, which Spring Boot applies by itself.
 */
package dev.mbus.spring.annotation;
