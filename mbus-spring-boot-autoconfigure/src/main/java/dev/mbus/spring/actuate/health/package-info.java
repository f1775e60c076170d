/** The {@code mbus} health indicator. */
package dev.mbus.spring.actuate.health;
