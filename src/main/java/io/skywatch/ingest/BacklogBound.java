package io.skywatch.ingest;

import java.time.Duration;

/**
 * How much of a pipeline's backlog (accepted events not yet stored) ingest lets build up: at most
 * {@code maxRecords}, and at most what the consumers store in {@code maxCatchUp} at the rate they can be counted on
 * for ({@link IngestAdmission.Backlogs#catchUpRate}), but never less than {@code floor}. Bounding the catch-up time
 * rather than a count of records holds recovery after an overload to about that time on any machine and any store,
 * whose rates differ by orders of magnitude.
 *
 * @param maxRecords 0 for no bound in records
 * @param maxCatchUp zero for no bound in time
 */
record BacklogBound(long maxRecords, Duration maxCatchUp, long floor) {

    static final BacklogBound NONE = new BacklogBound(0, Duration.ZERO, 0);

    /** Records of backlog allowed while the consumers can be counted on for {@code catchUpRate} records per second. */
    long limit(double catchUpRate) {
        long limit = maxRecords > 0 ? maxRecords : Long.MAX_VALUE;
        if (!maxCatchUp.isZero() && !maxCatchUp.isNegative()) {
            long inTime = (long) (catchUpRate * maxCatchUp.toNanos() / 1e9);
            limit = Math.min(limit, Math.max(floor, inTime));
        }
        return limit;
    }

    /** Why {@code backlog} records of {@code pipeline} are too many, for the 503's detail. */
    String refusal(String pipeline, long backlog, double catchUpRate) {
        if (maxRecords > 0 && backlog > maxRecords) {
            return "The " + pipeline + " pipeline has more than " + maxRecords
                    + " accepted events still to store; retry after the suggested delay.";
        }
        long rate = Math.round(catchUpRate);
        if (limit(catchUpRate) == floor) {
            return "The " + pipeline + " pipeline has more than " + floor + " accepted events still to store and its"
                    + " consumers stored " + rate + "/s lately; retry after the suggested delay.";
        }
        return "The " + pipeline + " pipeline has " + backlog + " accepted events still to store, more than its"
                + " consumers store in " + maxCatchUp.toMillis() / 1000.0 + " s at their rate lately (" + rate
                + "/s); retry after the suggested delay.";
    }
}
