package dev.mbus.sample.player;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;

/**
 * A track to play. On the wire a record is a list of its components:
 * {@code player.load (("Blue in Green" 337.5))}.
 *
 * @param title   what to show
 * @param seconds its length
 */
public record Track(@NotBlank(message = "a track needs a title") String title,
        @Positive(message = "a track lasts more than 0 seconds") double seconds) {
}
