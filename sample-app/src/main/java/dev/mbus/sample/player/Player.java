package dev.mbus.sample.player;

import dev.mbus.sample.player.PlayerStatus.State;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/** The state of the media player; no sound is made. Thread-safe. */
@Component
@ConditionalOnProperty(name = "sample.role", havingValue = "player", matchIfMissing = true)
public class Player {

    private Track track;
    private State state = State.STOPPED;
    private int volume = 50;
    private double positionAtMark;
    private long markNanos = System.nanoTime();

    public synchronized void load(Track newTrack) {
        track = newTrack;
        state = State.STOPPED;
        mark(0);
    }

    public synchronized void play() {
        if (track == null) {
            throw new IllegalStateException("no track loaded: send player.load ((\"title\" seconds)) first");
        }
        double position = position();
        state = State.PLAYING;
        mark(position >= track.seconds() ? 0 : position);
    }

    public synchronized void pause() {
        if (state == State.PLAYING) {
            double position = position();
            state = State.PAUSED;
            mark(position);
        }
    }

    public synchronized void volume(int level) {
        volume = level;
    }

    public synchronized void seek(double seconds) {
        if (track == null) {
            throw new IllegalStateException("no track loaded");
        }
        if (seconds > track.seconds()) {
            throw new IllegalArgumentException("cannot seek to " + seconds + " s: \"" + track.title() + "\" lasts "
                    + track.seconds() + " s");
        }
        mark(seconds);
    }

    public synchronized PlayerStatus status() {
        double position = position();
        if (state == State.PLAYING && track != null && position >= track.seconds()) {
            state = State.STOPPED; // the end of the track
            mark(position);
        }
        return new PlayerStatus(state, track == null ? "" : track.title(), Math.round(position * 10) / 10.0,
                track == null ? 0 : track.seconds(), volume);
    }

    private double position() {
        if (track == null) {
            return 0;
        }
        double position = positionAtMark;
        if (state == State.PLAYING) {
            position += (System.nanoTime() - markNanos) / 1e9;
        }
        return Math.min(position, track.seconds());
    }

    private void mark(double position) {
        positionAtMark = position;
        markNanos = System.nanoTime();
    }
}
