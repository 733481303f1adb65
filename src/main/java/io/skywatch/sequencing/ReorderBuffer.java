package io.skywatch.sequencing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * The reorder-and-deduplicate step of one channel, as a pure function so it is the same in the consumer,
 * after a restart and in tests: given the last applied message number and the messages waiting for a gap to
 * fill, an arrival is either a duplicate (already applied or already waiting), ready (it continues the
 * sequence, possibly releasing waiting ones), or waits itself.
 */
public final class ReorderBuffer {

    private ReorderBuffer() {}

    /**
     * Result of offering arrivals to a channel.
     *
     * @param ready messages to apply now, in message-number order
     * @param pending messages still waiting for a missing number, by number
     * @param duplicates arrivals dropped because their number was applied or waiting already
     * @param lastApplied the last applied number once {@code ready} is applied
     */
    public record Offer<E>(List<E> ready, NavigableMap<Long, E> pending, int duplicates, long lastApplied) {

        /** True when the arrivals changed nothing: every one of them was a duplicate. */
        public boolean unchanged(int arrivals) {
            return duplicates == arrivals;
        }
    }

    public static <E> Offer<E> offer(
            long lastApplied, NavigableMap<Long, E> pending, Collection<E> arrivals, ToLongFunction<E> numberOf) {
        NavigableMap<Long, E> waiting = new TreeMap<>(pending);
        int duplicates = 0;
        for (E arrival : arrivals) {
            long number = numberOf.applyAsLong(arrival);
            if (number <= lastApplied || waiting.putIfAbsent(number, arrival) != null) {
                duplicates++;
            }
        }
        List<E> ready = new ArrayList<>();
        long next = lastApplied + 1;
        while (!waiting.isEmpty() && waiting.firstKey() == next) {
            ready.add(waiting.pollFirstEntry().getValue());
            next++;
        }
        return new Offer<>(ready, waiting, duplicates, next - 1);
    }

    /** How many numbers between {@code lastApplied} and the highest waiting number have not arrived. */
    public static long missingCount(long lastApplied, NavigableMap<Long, ?> pending) {
        return pending.isEmpty() ? 0 : pending.lastKey() - lastApplied - pending.size();
    }

    /** The first {@code limit} numbers that have not arrived, in order. */
    public static List<Long> missingNumbers(long lastApplied, NavigableMap<Long, ?> pending, int limit) {
        List<Long> missing = new ArrayList<>();
        long expected = lastApplied + 1;
        for (long waitingNumber : pending.keySet()) {
            for (long n = expected; n < waitingNumber && missing.size() < limit; n++) {
                missing.add(n);
            }
            if (missing.size() >= limit) {
                break;
            }
            expected = waitingNumber + 1;
        }
        return missing;
    }
}
