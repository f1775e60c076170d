package dev.mbus.sample;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogTextTests {

    @Test
    void controlAndFormatCharactersBecomeEscapes() {
        assertThat(LogText.of("a\rb\nc\td\u001b[31me\u0085f\u2028g\u202eh\u0000i"))
                .isEqualTo("a\\rb\\nc\\td\\u001b[31me\\u0085f\\u2028g\\u202eh\\u0000i");
        assertThat(LogText.of("player.volume (42) \"Blue in Green\" é 日本 😀")).isEqualTo("player.volume (42) \"Blue in Green\" é 日本 😀");
    }

    @Test
    void longTextIsShortenedAndSaysByHowMuch() {
        String shortened = LogText.of("y".repeat(30_000));
        assertThat(shortened).startsWith("y".repeat(LogText.MAX_CHARS)).endsWith("...(29800 more chars)");
        assertThat(LogText.of("\u001b".repeat(100))).hasSizeLessThan(LogText.MAX_CHARS + 30).endsWith("more chars)");
    }

    @Test
    void aSurrogatePairIsNeverCutInHalf() {
        String text = LogText.of("x".repeat(LogText.MAX_CHARS - 1) + "😀😀");
        assertThat(text).startsWith("x".repeat(LogText.MAX_CHARS - 1) + "😀").endsWith("...(2 more chars)");
    }

    @Test
    void nullIsWrittenAsNull() {
        assertThat(LogText.of(null)).isEqualTo("null");
    }
}
