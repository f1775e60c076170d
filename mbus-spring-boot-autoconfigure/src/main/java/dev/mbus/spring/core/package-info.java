/**
 * The engine as a Spring bean ({@link dev.mbus.spring.core.MbusEngine}) and the template
 * applications send with ({@link dev.mbus.spring.core.MbusOperations},
 * {@link dev.mbus.spring.core.MbusTemplate}).
 */
package dev.mbus.spring.core;
