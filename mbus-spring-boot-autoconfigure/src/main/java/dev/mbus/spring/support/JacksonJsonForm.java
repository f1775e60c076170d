package dev.mbus.spring.support;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.core.convert.TypeDescriptor;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** {@link MbusJsonForm} with a Jackson 3 {@link JsonMapper}: the context's (Boot configures one) or Jackson's shared one. */
final class JacksonJsonForm implements MbusJsonForm {

    /** Check it before touching this class, which cannot load without Jackson. */
    static final String MAPPER_CLASS = "tools.jackson.databind.json.JsonMapper";

    private final JsonMapper mapper;

    private JacksonJsonForm(JsonMapper mapper) {
        this.mapper = mapper;
    }

    /** The JSON form of the context's {@link JsonMapper}, else of Jackson's shared one. */
    static MbusJsonForm of(BeanFactory beanFactory) {
        return new JacksonJsonForm(beanFactory.getBeanProvider(JsonMapper.class).getIfUnique(JsonMapper::shared));
    }

    @Override
    public String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JacksonException e) {
            throw new MbusConversionException("no JSON for " + value.getClass().getName() + ": " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public Object read(String json, TypeDescriptor type) {
        try {
            return mapper.readValue(json, mapper.constructType(type.getResolvableType().getType()));
        } catch (JacksonException e) {
            throw new MbusConversionException("expected the JSON of " + MbusValueConverter.typeName(type) + ": "
                    + e.getOriginalMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "JSON by " + mapper;
    }
}
