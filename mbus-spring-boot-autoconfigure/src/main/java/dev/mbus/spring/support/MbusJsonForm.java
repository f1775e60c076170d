package dev.mbus.spring.support;

import org.springframework.core.convert.TypeDescriptor;

/**
 * The wire form of objects that have no Mbus form of their own (JavaBeans, maps): one string
 * argument holding their JSON. Implemented with the application's Jackson mapper.
 */
interface MbusJsonForm {

    String write(Object value);

    Object read(String json, TypeDescriptor type);
}
