package io.skywatch.ingest;

import com.ethlo.time.ITU;
import java.time.DateTimeException;
import java.time.OffsetDateTime;

/**
 * Date-times of ingested payloads, which their JSON Schema's {@code date-time} format has already checked. That
 * check is the validator's RFC 3339 parser (ethlo ITU); reading the value with it again accepts exactly what the
 * schema accepted, where {@link OffsetDateTime#parse} refused the space separator RFC 3339 allows and, through the
 * JDK's pattern-driven formatter, cost about a sixth of the gateway's CPU for sensor batches. They are written for
 * Kafka with the same library.
 */
public final class Rfc3339 {

    private Rfc3339() {}

    /**
     * The date-time with its offset.
     *
     * @throws DateTimeException when {@code text} is not an RFC 3339 date-time
     */
    public static OffsetDateTime parse(String text) {
        return ITU.parseDateTime(text);
    }

    /**
     * The date-time as {@link java.time.format.DateTimeFormatter#ISO_OFFSET_DATE_TIME} writes it (seconds always, the
     * fraction in as few digits as it needs, the offset kept), which {@link #parse} reads back to the same value.
     */
    public static String format(OffsetDateTime dateTime) {
        int fraction = dateTime.getNano();
        int digits = 0;
        if (fraction != 0) {
            digits = 9;
            while (fraction % 10 == 0) {
                fraction /= 10;
                digits--;
            }
        }
        return ITU.format(dateTime, digits);
    }
}
