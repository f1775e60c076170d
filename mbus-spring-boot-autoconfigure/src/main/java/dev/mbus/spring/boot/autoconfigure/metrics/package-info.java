/** Auto-configuration of the Mbus meters. */
package dev.mbus.spring.boot.autoconfigure.metrics;
