package io.hotpass.ingest.run;

import java.util.Set;

/**
 * An upload run's states: {@code received -> parsing -> mapped -> committing -> stored}, or
 * {@code failed} from any state before {@code stored}. {@code stored} and {@code failed} are final.
 * An asynchronous upload starts {@code queued} (its file staged, waiting for a runner) and is
 * {@code received} again each time a runner's attempt starts it over.
 */
public final class RunStates {
    public static final String QUEUED = "queued";
    public static final String RECEIVED = "received";
    public static final String PARSING = "parsing";
    public static final String MAPPED = "mapped";
    public static final String COMMITTING = "committing";
    public static final String STORED = "stored";
    public static final String FAILED = "failed";
    public static final Set<String> FINAL = Set.of(STORED, FAILED);

    private RunStates() {
    }
}
