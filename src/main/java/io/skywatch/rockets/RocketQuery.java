package io.skywatch.rockets;

import io.skywatch.problem.Problem.FieldError;
import io.skywatch.problem.ProblemException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A validated {@code GET /rockets} query.
 *
 * @param sort field to sort by
 * @param descending sort order
 * @param status only rockets in this status, or all when null
 * @param offset rockets to skip
 * @param limit most rockets returned
 */
record RocketQuery(SortField sort, boolean descending, RocketStatus status, int offset, int limit) {

    static final int MAX_LIMIT = 10_000;

    /** The fields a client may sort by, with the stored field each maps to. */
    enum SortField {
        type("type"),
        mission("mission"),
        speed("speed"),
        status("status"),
        launchTime("launchTime"),
        lastMessageTime("lastMessageTime"),
        channel("_id");

        private final String field;

        SortField(String field) {
            this.field = field;
        }

        String field() {
            return field;
        }
    }

    static RocketQuery parse(String sort, String order, String status, int offset, int limit) {
        List<FieldError> errors = new ArrayList<>();
        SortField sortField = SortField.launchTime;
        if (sort != null) {
            try {
                sortField = SortField.valueOf(sort);
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("sort", "must be one of " + List.of(SortField.values())));
            }
        }
        String normalizedOrder = order == null ? "asc" : order.toLowerCase(Locale.ROOT);
        if (!normalizedOrder.equals("asc") && !normalizedOrder.equals("desc")) {
            errors.add(new FieldError("order", "must be asc or desc"));
        }
        RocketStatus statusFilter = null;
        if (status != null) {
            try {
                statusFilter = RocketStatus.valueOf(status.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("status", "must be one of " + List.of(RocketStatus.values())));
            }
        }
        if (offset < 0) {
            errors.add(new FieldError("offset", "must be 0 or more"));
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            errors.add(new FieldError("limit", "must be between 1 and " + MAX_LIMIT));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalidQuery(errors);
        }
        return new RocketQuery(sortField, normalizedOrder.equals("desc"), statusFilter, offset, limit);
    }
}
