package exchange.gateway.persistence;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Tells whether the disk holding the journal has less usable space than the configured minimum.
 * The gateway asks before it admits new business (orders, transfers, accounts), so that a filling
 * disk turns into clear 503s with {@code Retry-After} instead of a journal append failing and the
 * pipeline stopping. Cancels and session changes are still admitted: they shrink risk, and the
 * minimum leaves room for their few bytes each.
 *
 * <p>Asking is cheap enough for every request: the usable space is read (one {@code statfs}) at
 * most once per {@link #RECHECK_NANOS}, by whichever thread asks first after that, and the
 * answer is a volatile read otherwise. If the space cannot be read, the guard reports the disk as
 * not low (a broken probe must not stop trading) and logs it once.
 */
public final class DiskSpaceGuard {
    /** How long an answer is reused before the usable space is read again. */
    public static final long RECHECK_NANOS = 1_000_000_000L;

    private static final Logger LOG = LoggerFactory.getLogger(DiskSpaceGuard.class);

    /** A guard that never reports a low disk (the check is off). */
    public static final DiskSpaceGuard OFF = new DiskSpaceGuard("(no check)", 0, () -> Long.MAX_VALUE, System::nanoTime);

    private final String where;
    private final long minFreeBytes;
    private final LongSupplier usableBytes;
    private final LongSupplier nanoClock;
    private final AtomicLong nextCheckNanos;
    private volatile boolean low;
    private volatile long lastUsableBytes = -1;
    private volatile boolean probeFailed;

    /**
     * @param where        named in log lines (the directory or disk)
     * @param minFreeBytes usable bytes the disk must keep; 0 turns the check off
     * @param usableBytes  reads the usable space now; may throw {@link UncheckedIOException}
     * @param nanoClock    monotonic nanoseconds
     */
    public DiskSpaceGuard(String where, long minFreeBytes, LongSupplier usableBytes, LongSupplier nanoClock) {
        if (minFreeBytes < 0) {
            throw new IllegalArgumentException("minFreeBytes must be >= 0, was " + minFreeBytes);
        }
        this.where = where;
        this.minFreeBytes = minFreeBytes;
        this.usableBytes = usableBytes;
        this.nanoClock = nanoClock;
        this.nextCheckNanos = new AtomicLong(nanoClock.getAsLong());
    }

    /** A guard over the disk that holds {@code dir} (which must exist). */
    public static DiskSpaceGuard forDirectory(Path dir, long minFreeBytes) {
        if (minFreeBytes == 0) {
            return OFF;
        }
        FileStore store;
        try {
            store = Files.getFileStore(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find the disk of " + dir, e);
        }
        return new DiskSpaceGuard(dir.toString(), minFreeBytes, () -> {
            try {
                return store.getUsableSpace();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, System::nanoTime);
    }

    /** True while the disk's usable space is below the minimum (as of at most {@link #RECHECK_NANOS} ago). */
    public boolean isLow() {
        if (minFreeBytes == 0) {
            return false;
        }
        long now = nanoClock.getAsLong();
        long next = nextCheckNanos.get();
        if (now - next >= 0 && nextCheckNanos.compareAndSet(next, now + RECHECK_NANOS)) {
            check();
        }
        return low;
    }

    /**
     * Whether {@code bytes} more can be written and still leave the minimum usable, reading the
     * disk now (for large writes such as snapshots, which must not eat the room kept for the
     * journal). True when the check is off or the disk cannot be read.
     */
    public boolean hasRoomFor(long bytes) {
        if (minFreeBytes == 0) {
            return true;
        }
        long usable;
        try {
            usable = usableBytes.getAsLong();
        } catch (RuntimeException e) {
            return true;
        }
        return usable - bytes >= minFreeBytes;
    }

    /** Thrown instead of a write that would take the disk below the minimum. */
    public static final class NotEnoughSpaceException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public NotEnoughSpaceException(String message) {
            super(message, null, false, false);
        }
    }

    /** The usable bytes at the last check, or -1 before the first or if it could not be read. */
    public long lastUsableBytes() {
        return lastUsableBytes;
    }

    public long minFreeBytes() {
        return minFreeBytes;
    }

    private void check() {
        long usable;
        try {
            usable = usableBytes.getAsLong();
        } catch (RuntimeException e) {
            if (!probeFailed) {
                probeFailed = true;
                LOG.warn("cannot read the usable space of {} ({}); new business stays admitted", where, e.toString());
            }
            lastUsableBytes = -1;
            low = false;
            return;
        }
        probeFailed = false;
        lastUsableBytes = usable;
        boolean nowLow = usable < minFreeBytes;
        if (nowLow != low) {
            if (nowLow) {
                LOG.warn("disk of {} is low: {} bytes usable, below min_free_disk_bytes {}; refusing new orders, "
                        + "transfers and accounts (503 JOURNAL_DISK_LOW) until space is freed", where, usable, minFreeBytes);
            } else {
                LOG.info("disk of {} has {} bytes usable again (min_free_disk_bytes {}); admitting new business",
                        where, usable, minFreeBytes);
            }
            low = nowLow;
        }
    }
}
