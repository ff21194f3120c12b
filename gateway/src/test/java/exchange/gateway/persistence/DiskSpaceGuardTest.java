package exchange.gateway.persistence;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DiskSpaceGuardTest {
    private static final long MIN = 1_000;

    private final AtomicLong usable = new AtomicLong(5_000);
    private final AtomicLong now = new AtomicLong(123_456_789L);
    private final AtomicInteger reads = new AtomicInteger();

    private DiskSpaceGuard guard(long min) {
        return new DiskSpaceGuard("test disk", min, () -> {
            reads.incrementAndGet();
            return usable.get();
        }, now::get);
    }

    @Test
    void shouldReportLowOnlyBelowTheMinimum() {
        DiskSpaceGuard g = guard(MIN);
        assertFalse(g.isLow());
        assertEquals(5_000, g.lastUsableBytes());
        usable.set(MIN);
        now.addAndGet(DiskSpaceGuard.RECHECK_NANOS);
        assertFalse(g.isLow(), "exactly the minimum is enough");
        usable.set(MIN - 1);
        now.addAndGet(DiskSpaceGuard.RECHECK_NANOS);
        assertTrue(g.isLow());
        usable.set(10 * MIN);
        now.addAndGet(DiskSpaceGuard.RECHECK_NANOS);
        assertFalse(g.isLow(), "freed space admits new business again");
    }

    @Test
    void shouldReadTheDiskAtMostOncePerRecheckInterval() {
        DiskSpaceGuard g = guard(MIN);
        for (int i = 0; i < 100; i++) {
            g.isLow();
        }
        assertEquals(1, reads.get());
        usable.set(0);
        now.addAndGet(DiskSpaceGuard.RECHECK_NANOS - 1);
        assertFalse(g.isLow(), "the previous answer holds until the interval has passed");
        assertEquals(1, reads.get());
        now.addAndGet(1);
        assertTrue(g.isLow());
        assertEquals(2, reads.get());
    }

    @Test
    void shouldNeverReadTheDiskWhenTheCheckIsOff() {
        DiskSpaceGuard g = guard(0);
        usable.set(0);
        assertFalse(g.isLow());
        assertEquals(0, reads.get());
        assertSame(DiskSpaceGuard.OFF, DiskSpaceGuard.forDirectory(Path.of("does-not-matter"), 0));
        assertThrows(IllegalArgumentException.class, () -> guard(-1));
    }

    @Test
    void shouldTellWhetherALargeWriteLeavesTheMinimum() {
        DiskSpaceGuard g = guard(MIN);
        usable.set(MIN + 500);
        assertTrue(g.hasRoomFor(500));
        assertFalse(g.hasRoomFor(501));
        usable.set(MIN + 10_000);
        assertTrue(g.hasRoomFor(501), "read now, not from the cached answer");
        assertTrue(guard(0).hasRoomFor(Long.MAX_VALUE), "no check, no refusal");
    }

    @Test
    void shouldAdmitBusinessWhenTheDiskCannotBeRead() {
        AtomicInteger failures = new AtomicInteger(1);
        DiskSpaceGuard g = new DiskSpaceGuard("flaky disk", MIN, () -> {
            if (failures.getAndDecrement() > 0) {
                throw new UncheckedIOException(new java.io.IOException("statfs failed"));
            }
            return 0;
        }, now::get);
        assertFalse(g.isLow(), "a broken probe must not stop trading");
        assertEquals(-1, g.lastUsableBytes());
        now.addAndGet(DiskSpaceGuard.RECHECK_NANOS);
        assertTrue(g.isLow(), "once the disk can be read again its answer counts");
    }

    @Test
    void shouldReadTheRealDiskOfADirectory(@TempDir Path dir) {
        DiskSpaceGuard roomy = DiskSpaceGuard.forDirectory(dir, 1);
        assertFalse(roomy.isLow());
        assertTrue(roomy.lastUsableBytes() > 0);
        assertTrue(DiskSpaceGuard.forDirectory(dir, Long.MAX_VALUE).isLow(), "no disk has 8 EiB free");
    }
}
