package skywatch.load;

import java.util.List;

/** Nearest-rank percentiles of latencies the simulations time themselves, as printed in their summary lines. */
final class Percentiles {

    private Percentiles() {}

    /** The value at quantile {@code q} (0–1] of {@code sorted} (ascending), or "-" when there is none. */
    static String of(List<Long> sorted, double q) {
        if (sorted.isEmpty()) {
            return "-";
        }
        int rank = (int) Math.ceil(q * sorted.size()) - 1;
        return String.valueOf(sorted.get(Math.max(0, rank)));
    }
}
