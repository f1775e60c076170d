package dev.mbus.core.message;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The table-driven character checks agree with the written rules for every char (and beyond). */
class CharacterClassesTest {

    @Test
    void symbolCharactersFollowTheProtocol() {
        for (int c = -1000; c <= 0x1_0000; c++) {
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            boolean part = letter || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
            assertThat(SymbolValue.isAsciiLetter(c)).as("letter %d", c).isEqualTo(letter);
            assertThat(SymbolValue.isSymbolPart(c)).as("symbol part %d", c).isEqualTo(part);
        }
        assertThat(SymbolValue.isSymbol("tool.rat-1_x")).isTrue();
        assertThat(SymbolValue.isSymbol("1tool")).isFalse();
        assertThat(SymbolValue.isSymbol("café")).isFalse();
    }

    @Test
    void addressElementsRefuseExactlyControlsSpaceParenthesesQuoteAndDel() {
        for (char c = 0; c < Character.MAX_VALUE; c++) {
            boolean allowed = !(c <= ' ' || c == '(' || c == ')' || c == '"' || c == 0x7f);
            assertThat(Address.isElement("a:" + c)).as("char %d", (int) c).isEqualTo(allowed);
        }
        assertThat(Address.isElement(":a")).isFalse();
        assertThat(Address.isElement("a")).isFalse();
        assertThat(Address.isElement("a:")).isTrue();
    }
}
