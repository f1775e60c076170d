/** Micrometer meters of the Mbus engine and listeners. */
package dev.mbus.spring.actuate.metrics;
