/** Auto-configuration of the Spring Integration adapters. */
package dev.mbus.spring.boot.autoconfigure.integration;
