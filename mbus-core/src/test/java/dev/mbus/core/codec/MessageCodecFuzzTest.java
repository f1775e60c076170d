package dev.mbus.core.codec;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the decoder with Jazzer. A plain {@code mvn test} runs it in
 * regression mode over the seeds in {@code MessageCodecFuzzTestInputs/decode/} (test resources)
 * and any findings saved there; {@code JAZZER_FUZZ=1} makes it fuzz for {@code maxDuration}.
 */
class MessageCodecFuzzTest {

    /** Only MalformedMessageException, never the internal-error safety net; what decodes, round-trips. */
    @FuzzTest(maxDuration = "2m")
    // Written verbatim into a libFuzzer dictionary: quotes, backslashes and non-ASCII bytes as \xNN.
    @DictionaryEntries({"mbus/1.0 ", " R ", " U ", "()", "(app:x id:1)", "\\x0d\\x0a", "\\x5c\\x22", "\\x5c ", "\\x5cn",
        "\\x22", "<AA==>", "e-5", "-9223372036854775808", "4294967295", "\\xc3\\xa9", "\\xf0\\x9f\\x98\\x80",
        "\\xed\\xa0\\x80"})
    void decode(byte[] input) {
        RobustnessTest.assertDecodesOrRefuses(input, "fuzz input");
    }
}
