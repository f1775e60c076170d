/** The {@code mbus} actuator endpoint. */
package dev.mbus.spring.actuate.endpoint;
