package dev.mbus.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The snippets of the READMEs work when pasted: a Mbus dependency has a version (its own, or the
 * BOM's), the BOM exists and manages the starter at the project's version, Java snippets show
 * their imports, and the READMEs say what to inject.
 */
class ReadmeSnippetsTests {

    private static final Path ROOT = Path.of(System.getProperty("mbus.readme")).getParent();
    private static final Pattern BLOCK = Pattern.compile("```(\\w+)\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern DEPENDENCY = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL);
    private static final Pattern PROJECT_VERSION = Pattern.compile(
            "<artifactId>mbus-parent</artifactId>\\s*<version>([^<]+)</version>");

    @Test
    void everyMbusDependencyInTheReadmesHasAVersion() throws IOException {
        for (Path readme : readmes()) {
            String text = Files.readString(readme);
            boolean importsBom = text.contains("<artifactId>mbus-bom</artifactId>");
            for (String xml : blocks(text, "xml")) {
                Matcher dependency = DEPENDENCY.matcher(xml);
                while (dependency.find()) {
                    String body = dependency.group(1);
                    if (body.contains("<groupId>dev.mbus</groupId>")) {
                        assertThat(body.contains("<version>") || importsBom && xml.contains("mbus-bom"))
                                .as("a version for %s in %s", body.strip(), readme).isTrue();
                        if (body.contains("<version>")) {
                            assertThat(body).as(readme.toString()).contains("<version>" + projectVersion() + "</version>");
                        }
                    }
                }
            }
        }
    }

    @Test
    void theBomManagesTheStarterAtTheProjectVersionAndHasNoParent() throws IOException {
        String bom = Files.readString(ROOT.resolve("mbus-bom/pom.xml"));
        assertThat(bom).doesNotContain("<parent>")
                .contains("<artifactId>mbus-bom</artifactId>\n  <version>" + projectVersion() + "</version>");
        for (String module : List.of("mbus-core", "mbus-spring-boot-autoconfigure", "mbus-spring-boot-starter")) {
            assertThat(bom).contains("<artifactId>" + module + "</artifactId>");
        }
        assertThat(Files.readString(ROOT.resolve("pom.xml"))).contains("<module>mbus-bom</module>");
    }

    @Test
    void javaSnippetsOfTheStarterReadmeShowTheirImports() throws IOException {
        List<String> java = blocks(Files.readString(ROOT.resolve("mbus-spring-boot-starter/README.md")), "java");
        assertThat(java).isNotEmpty();
        for (String snippet : java) {
            for (String type : List.of("MbusListener", "MbusOperations", "Address", "MbusHeaders", "Header",
                    "Payload", "SendTo", "EmbeddedMbus", "MbusListenerTestHarness", "MbusTestBus", "Component",
                    "Duration", "Command", "MbusEntity")) {
                if (Pattern.compile("\\b" + type + "\\b[.(\\s]").matcher(snippet.replaceAll("(?m)^import .*$", ""))
                        .find()) {
                    assertThat(snippet).as("the import of " + type + " in\n" + snippet)
                            .containsPattern("(?m)^import [\\w.]+\\." + type + ";$");
                }
            }
        }
    }

    @Test
    void theReadmesSayWhatToInject() throws IOException {
        for (Path readme : List.of(ROOT.resolve("README.md"), ROOT.resolve("mbus-spring-boot-starter/README.md"))) {
            assertThat(Files.readString(readme)).as(readme.toString()).contains("Inject `MbusOperations`");
        }
    }

    private static List<Path> readmes() {
        return List.of(ROOT.resolve("README.md"), ROOT.resolve("mbus-spring-boot-starter/README.md"),
                ROOT.resolve("sample-app/README.md"));
    }

    private static List<String> blocks(String markdown, String language) {
        List<String> found = new ArrayList<>();
        Matcher block = BLOCK.matcher(markdown);
        while (block.find()) {
            if (block.group(1).equals(language)) {
                found.add(block.group(2));
            }
        }
        return found;
    }

    private static String projectVersion() throws IOException {
        Matcher version = PROJECT_VERSION.matcher(Files.readString(ROOT.resolve("pom.xml")));
        assertThat(version.find()).isTrue();
        return version.group(1);
    }
}
