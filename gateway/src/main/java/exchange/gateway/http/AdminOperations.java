package exchange.gateway.http;

import java.time.LocalDate;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Operator tasks the HTTP layer exposes but does not own: on-demand snapshots and the end-of-day report files. */
public interface AdminOperations {
    /** A snapshot written at sequence {@code seq} to {@code file}. */
    record SnapshotInfo(long seq, String file) {
    }

    /** Takes a snapshot now; null if the ring is full. */
    CompletableFuture<SnapshotInfo> snapshot();

    /** The stored report of a closed session (JSON, or CSV), if any. */
    Optional<byte[]> report(LocalDate sessionDate, boolean csv);

    /** True while the report of a session whose close was answered is still being written. */
    boolean reportPending(LocalDate sessionDate);
}
