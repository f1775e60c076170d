/**
 * Boot's failure report for {@code mbus.*} properties the engine cannot start with.
 */
package dev.mbus.spring.boot.diagnostics;
