/** Auto-configuration of the {@code mbus} health indicator. */
package dev.mbus.spring.boot.autoconfigure.health;
