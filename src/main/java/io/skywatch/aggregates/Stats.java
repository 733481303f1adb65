package io.skywatch.aggregates;

/**
 * Count, min, max, mean and spread of a metric's values, kept as Welford's running mean and sum of squared
 * deviations so two summaries merge exactly (Chan et al.): an hour is the merge of its minutes, a day of its
 * hours, without going back to the readings.
 */
public class Stats {

    public long count;
    public double min;
    public double max;
    public double mean;
    /** Sum of squared deviations from the mean. */
    public double m2;

    public Stats() {}

    static Stats of(double value) {
        Stats stats = new Stats();
        stats.add(value);
        return stats;
    }

    public void add(double value) {
        if (count == 0) {
            min = value;
            max = value;
        } else {
            min = Math.min(min, value);
            max = Math.max(max, value);
        }
        count++;
        double delta = value - mean;
        mean += delta / count;
        m2 += delta * (value - mean);
    }

    public void merge(Stats other) {
        if (other == null || other.count == 0) {
            return;
        }
        if (count == 0) {
            count = other.count;
            min = other.min;
            max = other.max;
            mean = other.mean;
            m2 = other.m2;
            return;
        }
        long total = count + other.count;
        double delta = other.mean - mean;
        mean += delta * other.count / total;
        m2 += other.m2 + delta * delta * count * other.count / total;
        min = Math.min(min, other.min);
        max = Math.max(max, other.max);
        count = total;
    }

    /** Population standard deviation of the values summarised. */
    public double stddev() {
        return count == 0 ? 0 : Math.sqrt(Math.max(0, m2) / count);
    }

    public Stats copy() {
        Stats copy = new Stats();
        copy.merge(this);
        return copy;
    }

    /** The summary as the API shows it. */
    public View view() {
        return new View(count, min, max, mean, stddev());
    }

    /**
     * A metric's summary over a window.
     *
     * @param stddev population standard deviation
     */
    public record View(long count, double min, double max, double mean, double stddev) {}
}
