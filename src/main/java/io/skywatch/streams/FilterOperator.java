package io.skywatch.streams;

/** How a filter compares a field with its value. */
public enum FilterOperator {
    EQ,
    NE,
    IN,
    NOT_IN,
    LT,
    LTE,
    GT,
    GTE,
    /** A dotted version ("2.3.0") lower than the value's. */
    VERSION_BELOW,
    /** The field is absent or null. */
    MISSING
}
