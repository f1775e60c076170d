package dev.mbus.core.sim;

/**
 * What the {@link SimNetwork} does to datagrams: each copy to each receiver is lost, sent twice
 * or delayed (which also reorders), and, with replay on, old datagrams come back seconds later.
 *
 * @param loss           chance that a copy is lost, 0 to 1
 * @param duplication    chance that a copy arrives twice, 0 to 1
 * @param maxDelayMillis each copy is delayed uniformly by 0 to this many milliseconds
 * @param replay         whether datagrams seen earlier are now and then sent again to everyone
 */
record NetworkFaults(double loss, double duplication, int maxDelayMillis, boolean replay) {

    static final NetworkFaults NONE = new NetworkFaults(0, 0, 0, false);

    NetworkFaults {
        if (loss < 0 || loss > 1 || duplication < 0 || duplication > 1 || maxDelayMillis < 0) {
            throw new IllegalArgumentException("fault rates out of range: " + loss + ", " + duplication + ", " + maxDelayMillis);
        }
    }

    NetworkFaults withoutReplay() {
        return new NetworkFaults(loss, duplication, maxDelayMillis, false);
    }

    @Override
    public String toString() {
        return String.format("loss %.0f %%, duplication %.0f %%, delay 0..%d ms, replay %s",
                loss * 100, duplication * 100, maxDelayMillis, replay ? "on" : "off");
    }
}
