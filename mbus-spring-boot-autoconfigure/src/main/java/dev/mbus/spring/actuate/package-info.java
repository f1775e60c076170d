/**
 * Health, metrics and the actuator endpoint of the Mbus engine; what they share.
 */
package dev.mbus.spring.actuate;
