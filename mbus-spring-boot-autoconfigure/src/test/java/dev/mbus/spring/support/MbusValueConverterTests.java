package dev.mbus.spring.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mbus.core.message.Address;
import dev.mbus.core.message.DataValue;
import dev.mbus.core.message.FloatValue;
import dev.mbus.core.message.IntegerValue;
import dev.mbus.core.message.ListValue;
import dev.mbus.core.message.MbusValue;
import dev.mbus.core.message.StringValue;
import dev.mbus.core.message.SymbolValue;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.core.convert.TypeDescriptor;

class MbusValueConverterTests {

    enum Mood { CALM, LOUD }

    record Point(int x, int y) {
    }

    record Track(String title, List<Point> marks, Mood mood) {
    }

    private final MbusValueConverter converter = new MbusValueConverter();

    @Test
    void javaValuesBecomeMbusValuesWithRecordsAndCollectionsAsLists() {
        MbusValue value = converter.toMbus(new Track("intro", List.of(new Point(1, 2)), Mood.CALM));
        assertThat(value).hasToString("(\"intro\" ((1 2)) CALM)");
        assertThat(converter.toMbus(new int[] {1, 2})).isEqualTo(ListValue.of(1L, 2L));
        assertThat(converter.toMbus(true)).isEqualTo(new IntegerValue(1));
        assertThat(converter.toMbus(Address.parse("(app:x)"))).isEqualTo(new StringValue("(app:x)"));
        assertThat(converter.toMbus(Optional.of(3))).isEqualTo(new IntegerValue(3));
        assertThat(converter.toMbus(new byte[] {1})).isInstanceOf(DataValue.class);
    }

    @Test
    void unsupportedJavaValuesFailWithTheirPosition() {
        assertThatThrownBy(() -> converter.toArguments(1, java.util.Map.of()))
                .isInstanceOf(MbusConversionException.class).hasMessageStartingWith("argument 1: ");
        assertThatThrownBy(() -> converter.toArguments((Object) null)).isInstanceOf(MbusConversionException.class);
    }

    @Test
    void mbusValuesConvertToDeclaredTypes() {
        assertThat(converter.fromMbus(new IntegerValue(7), int.class, "a")).isEqualTo(7);
        assertThat(converter.fromMbus(new IntegerValue(7), double.class, "a")).isEqualTo(7.0);
        assertThat(converter.fromMbus(new FloatValue(0.5), Double.class, "a")).isEqualTo(0.5);
        assertThat(converter.fromMbus(new IntegerValue(0), boolean.class, "a")).isFalse();
        assertThat(converter.fromMbus(new SymbolValue("true"), boolean.class, "a")).isTrue();
        assertThat(converter.fromMbus(new SymbolValue("loud"), Mood.class, "a")).isEqualTo(Mood.LOUD);
        assertThat(converter.fromMbus(new StringValue("(app:x id:1)"), Address.class, "a"))
                .isEqualTo(Address.of("app:x", "id:1"));
        assertThat(converter.fromMbus(new IntegerValue(7), Object.class, "a")).isEqualTo(7L);
        assertThat(converter.fromMbus(new IntegerValue(7), MbusValue.class, "a")).isEqualTo(new IntegerValue(7));
        assertThat(converter.fromMbus(ListValue.of(1, 2, 2), TypeDescriptor.collection(Set.class, TypeDescriptor.valueOf(Long.class)), "a"))
                .isEqualTo(Set.of(1L, 2L));
        assertThat(converter.fromMbus(ListValue.of(1, 2), int[].class, "a")).isEqualTo(new int[] {1, 2});
        Track track = converter.fromMbus(ListValue.of("intro", List.of(List.of(1, 2)), new SymbolValue("CALM")),
                Track.class, "a");
        assertThat(track).isEqualTo(new Track("intro", List.of(new Point(1, 2)), Mood.CALM));
    }

    @Test
    void failuresNameWhereAndWhat() {
        assertThatThrownBy(() -> converter.fromMbus(new StringValue("loud"), int.class, "argument 0 of tool.rat.volume"))
                .isInstanceOf(MbusConversionException.class)
                .hasMessage("argument 0 of tool.rat.volume: expected int, found \"loud\" (string)");
        assertThatThrownBy(() -> converter.fromMbus(new IntegerValue(1L << 40), int.class, "argument 1 of x"))
                .hasMessageContaining("argument 1 of x: expected int").hasMessageContaining("out of range");
        assertThatThrownBy(() -> converter.fromMbus(ListValue.of(1, "y"), Point.class, "argument 2 of x"))
                .hasMessage("argument 2 of x, component y of Point: expected int, found \"y\" (string)");
        assertThatThrownBy(() -> converter.fromMbus(ListValue.of(1), Point.class, "argument 0 of x"))
                .hasMessage("argument 0 of x: expected 2 values for record Point, found 1");
        assertThatThrownBy(() -> converter.fromMbus(ListValue.of(1, "b"),
                TypeDescriptor.collection(List.class, TypeDescriptor.valueOf(Integer.class)), "argument 0 of x"))
                .hasMessage("argument 0 of x: expected Integer, found \"b\" (string)");
    }

    @Test
    void wholeArgumentListsConvertToRecordsCollectionsOrTheOneValue() {
        List<MbusValue> args = List.of(new IntegerValue(3), new IntegerValue(4));
        assertThat(converter.fromArguments(args, TypeDescriptor.valueOf(Point.class), "cmd")).isEqualTo(new Point(3, 4));
        assertThat(converter.fromArguments(args, TypeDescriptor.collection(List.class, TypeDescriptor.valueOf(Long.class)), "cmd"))
                .isEqualTo(List.of(3L, 4L));
        assertThat(converter.fromArguments(List.of(new StringValue("ok")), TypeDescriptor.valueOf(String.class), "cmd"))
                .isEqualTo("ok");
        assertThatThrownBy(() -> converter.fromArguments(args, TypeDescriptor.valueOf(String.class), "cmd"))
                .hasMessage("cmd: expected one argument for String, found 2");
    }

    @Test
    void replyArgumentsSpreadCollectionsAndRecords() {
        assertThat(converter.toReplyArguments(new Point(1, 2))).containsExactly(new IntegerValue(1), new IntegerValue(2));
        assertThat(converter.toReplyArguments(List.of("a", "b"))).hasSize(2);
        assertThat(converter.toReplyArguments("a")).containsExactly(new StringValue("a"));
        assertThat(converter.toReplyArguments(List.of(List.of(1, 2)))).containsExactly(ListValue.of(1, 2));
    }
}
