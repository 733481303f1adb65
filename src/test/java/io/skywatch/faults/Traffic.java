package io.skywatch.faults;

import io.skywatch.testing.RocketTrack;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * The requests of a run, in sending order: every channel's messages shuffled within windows, with a share of
 * them sent twice a little later (as a retransmitting emitter would), and the channels interleaved at random so
 * each channel's traffic is spread over the whole run.
 */
final class Traffic {

    /** One request: a message of channel {@code track} with number {@code number}. */
    record Send(int track, int number, String body) {}

    final List<RocketTrack> tracks;
    final List<Send> sends;
    final int distinct;
    final int duplicates;

    private Traffic(List<RocketTrack> tracks, List<Send> sends, int distinct) {
        this.tracks = tracks;
        this.sends = sends;
        this.distinct = distinct;
        this.duplicates = sends.size() - distinct;
    }

    static Traffic generate(int channels, int perChannel, double duplicateRate, int shuffleWindow, Random random) {
        List<RocketTrack> tracks = new ArrayList<>();
        List<List<Send>> perTrack = new ArrayList<>();
        List<Integer> slots = new ArrayList<>();
        for (int t = 0; t < channels; t++) {
            RocketTrack track = new RocketTrack("rocket-%03d-%08x".formatted(t, random.nextInt()), perChannel, random);
            tracks.add(track);
            List<Send> ordered = channelTraffic(t, track, duplicateRate, shuffleWindow, random);
            perTrack.add(ordered);
            for (int i = 0; i < ordered.size(); i++) {
                slots.add(t);
            }
        }
        // A uniform shuffle of the multiset of channel slots: each channel's requests are spread over the run.
        Collections.shuffle(slots, random);
        int[] next = new int[channels];
        List<Send> sends = new ArrayList<>(slots.size());
        for (int t : slots) {
            sends.add(perTrack.get(t).get(next[t]++));
        }
        return new Traffic(tracks, List.copyOf(sends), channels * perChannel);
    }

    private static List<Send> channelTraffic(
            int t, RocketTrack track, double duplicateRate, int window, Random random) {
        List<Integer> numbers = new ArrayList<>();
        for (int n = 1; n <= track.length(); n++) {
            numbers.add(n);
        }
        for (int from = 0; from < numbers.size(); from += window) {
            Collections.shuffle(numbers.subList(from, Math.min(from + window, numbers.size())), random);
        }
        // Exactly round(rate × length) messages are sent twice, the copy at most `window` requests later.
        List<Integer> indexes = new ArrayList<>();
        for (int i = 0; i < numbers.size(); i++) {
            indexes.add(i);
        }
        Collections.shuffle(indexes, random);
        boolean[] duplicated = new boolean[numbers.size()];
        indexes.subList(0, (int) Math.round(duplicateRate * numbers.size())).forEach(i -> duplicated[i] = true);
        List<Send> out = new ArrayList<>();
        PriorityQueue<long[]> copies = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
        for (int i = 0; i < numbers.size(); i++) {
            while (!copies.isEmpty() && copies.peek()[0] <= out.size()) {
                out.add(send(t, track, (int) copies.poll()[1]));
            }
            int number = numbers.get(i);
            out.add(send(t, track, number));
            if (duplicated[i]) {
                copies.add(new long[] {out.size() + 1 + random.nextInt(window), number});
            }
        }
        while (!copies.isEmpty()) {
            out.add(send(t, track, (int) copies.poll()[1]));
        }
        return out;
    }

    private static Send send(int t, RocketTrack track, int number) {
        return new Send(t, number, track.messages[number - 1]);
    }
}
