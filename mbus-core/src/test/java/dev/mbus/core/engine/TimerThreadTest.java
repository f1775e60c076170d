package dev.mbus.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The timer thread sleeps as long as its duties say and wakes early whenever new work asks it
 * to. Each test's duties ask for an hour's sleep; a run that should follow at once and does not
 * leaves the test waiting in vain for a second run.
 */
class TimerThreadTest {

    private static final long HOUR = TimeUnit.HOURS.toNanos(1);
    private static final long TICK = TimeUnit.MILLISECONDS.toNanos(5);

    private final MbusClock clock = MbusClock.system();
    private final BlockingQueue<Long> runs = new LinkedBlockingQueue<>();
    /** Whether work that needs ticks is pending, as the duties see it. */
    private final AtomicBoolean workPending = new AtomicBoolean();
    private final AtomicReference<TimerThread> thread = new AtomicReference<>();

    @AfterEach
    void stop() {
        if (thread.get() != null) {
            thread.get().stop();
        }
    }

    private TimerThread start(LongUnaryOperator duties) {
        TimerThread timer = new TimerThread("test-timer", clock, TICK, new TimerThread.Duties() {
            @Override
            public long run(long nowNanos) {
                runs.add(nowNanos);
                return duties.applyAsLong(nowNanos);
            }

            @Override
            public long nextDue(long nowNanos) {
                return workPending.get() ? nowNanos + TICK : nowNanos + HOUR;
            }
        });
        thread.set(timer);
        timer.start();
        return timer;
    }

    private Long nextRun() throws InterruptedException {
        return runs.poll(10, TimeUnit.SECONDS);
    }

    @Test
    void aNudgeWakesAThreadThatSleepsPastATick() throws Exception {
        TimerThread timer = start(now -> now + HOUR);
        assertThat(nextRun()).as("runs once at start").isNotNull();
        awaitSleepingLong(timer);

        workPending.set(true);
        timer.nudge();

        assertThat(nextRun()).as("the nudge brought the hour's sleep down to a tick").isNotNull();
    }

    @Test
    void aNudgeWhenNothingIsDueSoonerLeavesTheSleepAlone() throws Exception {
        // A hello received by an idle entity: nothing for the timer.
        TimerThread timer = start(now -> now + HOUR);
        assertThat(nextRun()).isNotNull();
        awaitSleepingLong(timer);

        timer.nudge();

        assertThat(runs.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void aWakeAskedForWhileTheDutiesRunIsKeptForTheSleepThatFollows() throws Exception {
        AtomicBoolean first = new AtomicBoolean(true);
        // The batching alarm, set while the duties run, for a time they do not treat as due yet.
        start(now -> {
            if (first.getAndSet(false)) {
                thread.get().wakeBy(now + TICK);
            }
            return now + HOUR;
        });

        assertThat(nextRun()).isNotNull();
        assertThat(nextRun()).as("woken for the alarm, not an hour later").isNotNull();
    }

    @Test
    void aThreadAboutToSleepLongLooksAgainForWorkANudgeMayHaveMissed() throws Exception {
        workPending.set(true); // work arrived after the duties looked, before the flag a nudge reads was set
        start(now -> now + HOUR);

        assertThat(nextRun()).isNotNull();
        assertThat(nextRun()).as("slept a tick, not an hour").isNotNull();
    }

    @Test
    void wakeByAnEarlierTimeShortensASleepAndALaterOneDoesNot() throws Exception {
        TimerThread timer = start(now -> now + HOUR);
        long started = nextRun();
        awaitSleepingLong(timer);

        timer.wakeBy(started + 2 * HOUR);
        assertThat(runs.poll(200, TimeUnit.MILLISECONDS)).as("a later wake changes nothing").isNull();
        timer.wakeBy(clock.nanoTime());
        assertThat(nextRun()).isNotNull();
    }

    @Test
    void stopEndsTheThreadEvenInALongSleep() throws Exception {
        TimerThread timer = start(now -> now + HOUR);
        assertThat(nextRun()).isNotNull();
        awaitSleepingLong(timer);

        timer.stop();

        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("test-timer"));
        thread.set(null);
    }

    /** Waits until the thread has gone to its long sleep (its state, not a time). */
    private static void awaitSleepingLong(TimerThread timer) throws InterruptedException {
        for (int i = 0; i < 10_000; i++) {
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().equals("test-timer") && t.getState() == Thread.State.TIMED_WAITING) {
                    return;
                }
            }
            Thread.sleep(1);
        }
        throw new AssertionError("the timer thread never went to sleep");
    }
}
