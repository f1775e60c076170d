/**
 * Conversion between Java values and Mbus values, shared by the template and the listeners.
 */
package dev.mbus.spring.support;
