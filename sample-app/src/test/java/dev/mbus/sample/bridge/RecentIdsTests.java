package dev.mbus.sample.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RecentIdsTests {

    @Test
    void aRememberedIdIsRecognised() {
        RecentIds ids = new RecentIds(10);
        assertThat(ids.contains("a", "1")).isFalse();

        ids.remember("a", "1");

        assertThat(ids.contains("a", "1")).isTrue();
        assertThat(ids.contains("b", "1")).as("ids are unique per origin only").isFalse();
    }

    @Test
    void theMemoryKeepsTheLastCapacityIdsOnly() {
        RecentIds ids = new RecentIds(3);
        for (int i = 1; i <= 5; i++) {
            ids.remember("a", Integer.toString(i));
        }

        assertThat(ids.size()).isEqualTo(3);
        assertThat(ids.contains("a", "1")).isFalse();
        assertThat(ids.contains("a", "2")).isFalse();
        assertThat(ids.contains("a", "3")).isTrue();
        assertThat(ids.contains("a", "5")).isTrue();
    }

    @Test
    void aSecondCopyDoesNotMakeAnIdYoungerThanItWas() {
        RecentIds ids = new RecentIds(2);
        ids.remember("a", "1");
        ids.remember("a", "2");
        ids.contains("a", "1"); // a look-up is not a use: the oldest goes first, whatever was asked

        ids.remember("a", "3");

        assertThat(ids.contains("a", "1")).isFalse();
        assertThat(ids.contains("a", "2")).isTrue();
    }

    @Test
    void aCapacityBelowOneIsRefused() {
        assertThatThrownBy(() -> new RecentIds(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bridge.dedup.capacity");
    }
}
