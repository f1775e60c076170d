/**
 * Spring Boot auto-configuration of the Mbus engine, template and listeners, bound to the
 * {@code mbus.*} properties ({@link dev.mbus.spring.boot.autoconfigure.MbusProperties}).
 */
package dev.mbus.spring.boot.autoconfigure;
