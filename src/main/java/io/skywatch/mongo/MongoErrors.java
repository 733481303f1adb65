package io.skywatch.mongo;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoWriteException;

/** Recognises the write failures that mean "already there", which idempotent writes treat as success. */
public final class MongoErrors {

    private MongoErrors() {}

    /** A single write refused by a unique index. */
    public static boolean isDuplicateKey(Throwable failure) {
        return failure instanceof MongoWriteException write
                && write.getError().getCategory() == ErrorCategory.DUPLICATE_KEY;
    }

    /** A bulk write whose only failures are unique-index refusals: everything else was written. */
    public static boolean onlyDuplicateKeys(Throwable failure) {
        return failure instanceof MongoBulkWriteException bulk
                && bulk.getWriteConcernError() == null
                && bulk.getWriteErrors().stream()
                        .allMatch(error -> ErrorCategory.fromErrorCode(error.getCode()) == ErrorCategory.DUPLICATE_KEY);
    }
}
