package exchange.journal.replay;

import exchange.engine.EngineEvent;
import exchange.engine.EventType;
import exchange.engine.SelfTradePrevention;
import exchange.engine.Side;
import exchange.engine.TimeInForce;
import exchange.journal.EventCodec;
import exchange.journal.EventJournal;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The replay's events check over a queue written partly before events schema 2. */
@Timeout(30)
class EventsQueueComparisonTest {
    @TempDir
    Path dataDir;

    private static EngineEvent accepted(long seq, SelfTradePrevention stp) {
        EngineEvent e = new EngineEvent().reset(EventType.ORDER_ACCEPTED, seq, 1_000 + seq);
        e.accountId = 1;
        e.orderId = seq;
        e.clientOrderId = "c-" + seq;
        e.symbol = "AAPL";
        e.side = Side.BUY;
        e.qty = 10;
        e.priceTicks = 1_000_000;
        e.timeInForce = TimeInForce.DAY;
        e.selfTradePrevention = stp;
        e.amount = 10_000_000;
        return e;
    }

    /** {@code e} as schema version 1 wrote it: without the self-trade prevention byte and version 3's venue. */
    private static byte[] versionOne(EngineEvent e) {
        return older(e, 1, 1 + 2);
    }

    /** {@code e} (no venue) as schema version 2 wrote it: without version 3's null venue (two bytes). */
    private static byte[] versionTwo(EngineEvent e) {
        return older(e, 2, 2);
    }

    private static byte[] older(EngineEvent e, int version, int cut) {
        EventCodec codec = new EventCodec();
        int len = codec.encode(e);
        byte[] rec = new byte[len - cut];
        System.arraycopy(codec.buffer(), 0, rec, 0, len - cut - 4);
        rec[3] = (byte) version;
        int payload = (rec[4] & 0xFF) | (rec[5] & 0xFF) << 8 | (rec[6] & 0xFF) << 16 | (rec[7] & 0xFF) << 24;
        payload -= cut;
        rec[4] = (byte) payload;
        rec[5] = (byte) (payload >>> 8);
        rec[6] = (byte) (payload >>> 16);
        rec[7] = (byte) (payload >>> 24);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(rec, 0, rec.length - 4);
        int c = (int) crc.getValue();
        for (int i = 0; i < 4; i++) {
            rec[rec.length - 4 + i] = (byte) (c >>> (8 * i));
        }
        return rec;
    }

    private void writeQueue(byte[]... records) {
        try (SingleChronicleQueue q = SingleChronicleQueueBuilder.binary(dataDir.resolve(EventJournal.DIRECTORY).toFile())
                .build(); ExcerptAppender a = q.createAppender()) {
            for (byte[] r : records) {
                try (DocumentContext dc = a.writingDocument()) {
                    dc.wire().bytes().write(r);
                }
            }
        }
    }

    @Test
    void shouldTakeTheSelfTradePreventionFromTheReplayForOrderEntryEventsWrittenBeforeSchemaTwo() {
        writeQueue(versionOne(accepted(1, SelfTradePrevention.CANCEL_BOTH)), versionTwo(accepted(2, SelfTradePrevention.CANCEL_OLDEST)));
        try (EventsQueueComparison c = EventsQueueComparison.open(dataDir)) {
            c.onCommand(1, List.of(accepted(1, SelfTradePrevention.CANCEL_BOTH)));
            c.onCommand(2, List.of(accepted(2, SelfTradePrevention.CANCEL_OLDEST)));
            assertNull(c.finish(2));
            assertTrue(c.summary(2).contains("1 order entry events written before events schema 2"), c.summary(2));
        }
    }

    @Test
    void shouldStillFindAnyOtherDifferenceInAVersionOneRecord() {
        EngineEvent other = accepted(1, SelfTradePrevention.CANCEL_BOTH);
        other.qty = 11;
        writeQueue(versionOne(other));
        try (EventsQueueComparison c = EventsQueueComparison.open(dataDir)) {
            c.onCommand(1, List.of(accepted(1, SelfTradePrevention.CANCEL_BOTH)));
            String failure = c.finish(1);
            assertTrue(failure != null && failure.contains("differs"), String.valueOf(failure));
        }
    }

    @Test
    void shouldNotForgiveAVersionTwoRecordItsSelfTradePrevention() {
        writeQueue(versionTwo(accepted(1, SelfTradePrevention.DEFAULT)));
        try (EventsQueueComparison c = EventsQueueComparison.open(dataDir)) {
            c.onCommand(1, List.of(accepted(1, SelfTradePrevention.CANCEL_NEWEST)));
            String failure = c.finish(1);
            assertTrue(failure != null && failure.contains("differs"), String.valueOf(failure));
        }
    }
}
