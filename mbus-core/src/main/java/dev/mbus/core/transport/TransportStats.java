package dev.mbus.core.transport;

/**
 * A snapshot of a transport's counters since it was opened.
 *
 * @param received datagrams handed to the receiver
 * @param sent datagrams accepted by the kernel for sending
 * @param sendFailures sends that failed with an I/O error (each also threw a {@link TransportException})
 * @param sendDropped datagrams dropped because the socket send buffer stayed full (like any UDP loss,
 *     silently; the reliable layer retransmits)
 * @param receiveFailures receive calls that failed with an I/O error (the loop carries on)
 * @param receiverErrors runtime exceptions thrown by the receiver's callbacks (the loop carries on)
 * @param ownDropped datagrams this transport sent itself that came back through the multicast loop
 *     and were dropped before reaching the receiver
 */
public record TransportStats(long received, long sent, long sendFailures, long sendDropped,
        long receiveFailures, long receiverErrors, long ownDropped) {
}
