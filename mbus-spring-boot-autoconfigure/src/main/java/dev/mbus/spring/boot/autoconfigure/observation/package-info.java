/** Auto-configuration of Mbus observations. */
package dev.mbus.spring.boot.autoconfigure.observation;
