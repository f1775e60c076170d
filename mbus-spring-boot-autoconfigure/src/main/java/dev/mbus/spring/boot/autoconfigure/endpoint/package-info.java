/** Auto-configuration of the {@code mbus} actuator endpoint. */
package dev.mbus.spring.boot.autoconfigure.endpoint;
