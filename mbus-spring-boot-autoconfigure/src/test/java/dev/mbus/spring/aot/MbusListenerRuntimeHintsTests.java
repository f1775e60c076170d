package dev.mbus.spring.aot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mbus.spring.annotation.MbusListener;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.aot.hint.predicate.ReflectionHintsPredicates;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.javapoet.ClassName;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Payload;

/**
 * Ahead-of-time processing of a context with {@code @MbusListener} beans gives the hints a native
 * image needs to call the listeners and to convert their arguments and replies: records built
 * from lists and read back, enums by name, arrays created, at any depth of the declared types.
 */
class MbusListenerRuntimeHintsTests {

    enum Mood { CALM, LOUD }

    record Track(String title, double seconds) {
    }

    record Playlist(String name, List<Track> tracks, Mood mood) {
    }

    record Status(String state, int volume) {
    }

    record Point(int x, int y) {
    }

    static class Listeners {
        @MbusListener("player.queue")
        void queue(Playlist playlist, Track[] extra, Optional<Point> where) {
        }

        @MbusListener("player.status")
        CompletableFuture<Status> status(@Header("mbus_command") String command) {
            return CompletableFuture.completedFuture(new Status("PLAYING", 3));
        }

        @MbusListener("player.points")
        List<Point> points(@Payload List<Point> points) {
            return points;
        }
    }

    static RuntimeHints hints;

    private final ReflectionHintsPredicates reflection = RuntimeHintsPredicates.reflection();

    @BeforeAll
    static void processAheadOfTime() {
        GenericApplicationContext context = new GenericApplicationContext();
        context.registerBean("listeners", Listeners.class);
        DefaultGenerationContext generation = new DefaultGenerationContext(
                new ClassNameGenerator(ClassName.get("dev.mbus.spring.aot", "HintsTest")), new InMemoryGeneratedFiles());
        new ApplicationContextAotGenerator().processAheadOfTime(context, generation);
        hints = generation.getRuntimeHints();
    }

    @Test
    void listenerMethodsCanBeInvoked() throws Exception {
        assertThat(reflection.onMethodInvocation(Listeners.class.getDeclaredMethod("queue", Playlist.class,
                Track[].class, Optional.class))).accepts(hints);
        assertThat(reflection.onMethodInvocation(Listeners.class.getDeclaredMethod("status", String.class)))
                .accepts(hints);
    }

    @Test
    void recordsAtAnyDepthCanBeBuiltAndRead() throws Exception {
        for (Class<?> record : List.of(Playlist.class, Track.class, Point.class, Status.class)) {
            assertThat(reflection.onConstructorInvocation(record.getDeclaredConstructors()[0])).as(record.getName())
                    .accepts(hints);
            assertThat(reflection.onMethodInvocation(record.getRecordComponents()[0].getAccessor()))
                    .as(record.getName()).accepts(hints);
        }
    }

    @Test
    void arraysCanBeCreatedAndEnumsFoundByName() throws Exception {
        assertThat(reflection.onType(TypeReference.of(Track[].class))).accepts(hints);
        assertThat(reflection.onMethodInvocation(Mood.class.getMethod("valueOf", String.class))).accepts(hints);
    }
}
