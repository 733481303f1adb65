package io.skywatch.sequencing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * One sequencing step of a channel, as a pure function: reorder and deduplicate the arrivals, apply the gap
 * policy, and recognise late arrivals (numbers the policy gave up on that turned up after all), which oblige the
 * caller to rebuild the channel's state from its ordered event log.
 */
public final class ChannelSequencing {

    private ChannelSequencing() {}

    /**
     * Sequencing state of a channel before a step.
     *
     * @param lastApplied last applied message number (0 before the first)
     * @param pending messages held back behind a missing number
     * @param skipped numbers the gap policy gave up on
     * @param waitingSince since when the channel waits for {@code lastApplied + 1}; null when nothing is pending
     */
    public record State<E>(
            long lastApplied, NavigableMap<Long, E> pending, List<SkippedRange> skipped, Instant waitingSince) {}

    /**
     * The outcome of a step.
     *
     * @param state the channel's sequencing state after the step
     * @param ready messages to apply, in order (when {@code rebuild} is false)
     * @param late arrivals that filled a skipped number: the state must be rebuilt from the event log
     * @param duplicates arrivals dropped as already applied or already pending
     * @param newlySkipped numbers the gap policy gave up on in this step
     * @param changed false when the stored state need not be written
     */
    public record Step<E>(
            State<E> state, List<E> ready, List<E> late, int duplicates, long newlySkipped, boolean changed) {

        public boolean rebuild() {
            return !late.isEmpty();
        }
    }

    public static <E> Step<E> step(
            State<E> before, Collection<E> arrivals, ToLongFunction<E> numberOf, GapPolicy policy, Instant now) {
        List<SkippedRange> skipped = copy(before.skipped());
        List<E> late = new ArrayList<>();
        List<E> onTime = new ArrayList<>();
        Set<Long> lateNumbers = new HashSet<>();
        int duplicates = 0;
        for (E arrival : arrivals) {
            long number = numberOf.applyAsLong(arrival);
            if (number <= before.lastApplied() && fill(skipped, number)) {
                late.add(arrival);
                lateNumbers.add(number);
            } else if (number <= before.lastApplied() && lateNumbers.contains(number)) {
                duplicates++;
            } else {
                onTime.add(arrival);
            }
        }
        ReorderBuffer.Offer<E> offer = ReorderBuffer.offer(before.lastApplied(), before.pending(), onTime, numberOf);
        duplicates += offer.duplicates();
        List<E> ready = new ArrayList<>(offer.ready());
        NavigableMap<Long, E> pending = offer.pending();
        long lastApplied = offer.lastApplied();
        Instant waitingSince = pending.isEmpty()
                ? null
                : lastApplied > before.lastApplied() || before.waitingSince() == null ? now : before.waitingSince();
        long newlySkipped = 0;
        while (policy.givesUp(pending.size(), waitingSince, now)) {
            long firstWaiting = pending.firstKey();
            skipped.add(new SkippedRange(lastApplied + 1, firstWaiting - 1, now));
            newlySkipped += firstWaiting - 1 - lastApplied;
            ReorderBuffer.Offer<E> drained = ReorderBuffer.offer(firstWaiting - 1, pending, List.of(), numberOf);
            ready.addAll(drained.ready());
            pending = drained.pending();
            lastApplied = drained.lastApplied();
            waitingSince = pending.isEmpty() ? null : now;
        }
        boolean changed = !ready.isEmpty()
                || !late.isEmpty()
                || newlySkipped > 0
                || pending.size() != before.pending().size()
                || !Objects.equals(waitingSince, before.waitingSince());
        return new Step<>(
                new State<>(lastApplied, pending, skipped, waitingSince),
                ready,
                late,
                duplicates,
                newlySkipped,
                changed);
    }

    /** Removes {@code number} from the skipped ranges; true if it was skipped. */
    public static boolean fill(List<SkippedRange> skipped, long number) {
        for (int i = 0; i < skipped.size(); i++) {
            SkippedRange range = skipped.get(i);
            if (range.contains(number)) {
                skipped.remove(i);
                if (number > range.from) {
                    skipped.add(i++, new SkippedRange(range.from, number - 1, range.declaredAt));
                }
                if (number < range.to) {
                    skipped.add(i, new SkippedRange(number + 1, range.to, range.declaredAt));
                }
                return true;
            }
        }
        return false;
    }

    public static long count(List<SkippedRange> skipped) {
        return skipped.stream().mapToLong(SkippedRange::size).sum();
    }

    private static List<SkippedRange> copy(List<SkippedRange> ranges) {
        List<SkippedRange> copy = new ArrayList<>(ranges.size());
        ranges.forEach(r -> copy.add(new SkippedRange(r.from, r.to, r.declaredAt)));
        return copy;
    }
}
