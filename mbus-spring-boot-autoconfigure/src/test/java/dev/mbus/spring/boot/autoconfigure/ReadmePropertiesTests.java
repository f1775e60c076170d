package dev.mbus.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import com.jayway.jsonpath.JsonPath;
import java.util.List;
import java.util.Map;

/** The property table of the project README names exactly the keys the starter has. */
class ReadmePropertiesTests {

    private static final Pattern TABLE_KEY = Pattern.compile("^\\| `(mbus\\.[a-z0-9.-]+)` \\|", Pattern.MULTILINE);

    @Test
    void readmeTableListsEveryGeneratedKeyAndNoOther() throws IOException {
        Set<String> generated = new TreeSet<>();
        try (InputStream metadata = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(metadata).as("generated configuration metadata").isNotNull();
            List<Map<String, Object>> properties = JsonPath.read(metadata, "$.properties");
            for (Map<String, Object> property : properties) {
                String name = (String) property.get("name");
                if (name.startsWith("mbus.")) {
                    generated.add(name);
                    assertThat(property.get("description")).as("description of " + name).isNotNull();
                }
            }
        }
        Set<String> documented = new TreeSet<>();
        Matcher keys = TABLE_KEY.matcher(Files.readString(Path.of(System.getProperty("mbus.readme"))));
        while (keys.find()) {
            documented.add(keys.group(1));
        }

        assertThat(generated).isNotEmpty();
        assertThat(documented).isEqualTo(generated);
    }
}
