package dev.mbus.sample.player;

/**
 * What {@code player.status} answers, as {@code player.status.return (PLAYING "Blue in Green" 12.5 337.5 60)}.
 *
 * @param state    STOPPED, PLAYING or PAUSED
 * @param title    the track loaded, or "" when none is
 * @param position seconds played
 * @param length   seconds of the track, 0 when none is loaded
 * @param volume   0 to 100
 */
public record PlayerStatus(State state, String title, double position, double length, int volume) {

    /** What the player is doing. */
    public enum State { STOPPED, PLAYING, PAUSED }

    @Override
    public String toString() {
        String what = title.isEmpty() ? "no track" : "\"" + title + "\" at " + position + " of " + length + " s";
        return state.name().toLowerCase() + ", " + what + ", volume " + volume;
    }
}
