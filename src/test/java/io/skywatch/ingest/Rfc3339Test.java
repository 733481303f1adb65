package io.skywatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Rfc3339Test {

    /** What Kafka held before the formatter changed must be what it holds after: the JDK's ISO form, exactly. */
    @Test
    void writesWhatTheIsoFormatterWritesAndReadsItBack() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(0, 253_402_300_799L));
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            ZoneOffset offset = ZoneOffset.ofTotalSeconds(random.nextInt(-18 * 60, 18 * 60 + 1) * 60);
            OffsetDateTime dateTime = instant.plusNanos(nanos).atOffset(offset);

            String written = Rfc3339.format(dateTime);

            assertThat(written).isEqualTo(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(dateTime));
            assertThat(Rfc3339.parse(written)).isEqualTo(dateTime);
        }
    }
}
