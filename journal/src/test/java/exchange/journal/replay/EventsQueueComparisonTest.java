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

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    /** {@code e} as schema version 1 wrote it: without the last payload byte (the self-trade prevention). */
    private static byte[] versionOne(EngineEvent e) {
        byte[] v2 = versionTwo(e);
        byte[] v1 = Arrays.copyOf(v2, v2.length - 1);
        v1[3] = 1;
        int payload = (v1[4] & 0xFF) | (v1[5] & 0xFF) << 8 | (v1[6] & 0xFF) << 16 | (v1[7] & 0xFF) << 24;
        payload--;
        v1[4] = (byte) payload;
        v1[5] = (byte) (payload >>> 8);
        v1[6] = (byte) (payload >>> 16);
        v1[7] = (byte) (payload >>> 24);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(v1, 0, v1.length - 4);
        int c = (int) crc.getValue();
        for (int i = 0; i < 4; i++) {
            v1[v1.length - 4 + i] = (byte) (c >>> (8 * i));
        }
        return v1;
    }

    private static byte[] versionTwo(EngineEvent e) {
        EventCodec codec = new EventCodec();
        int len = codec.encode(e);
        return Arrays.copyOf(codec.buffer(), len);
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
            assertEquals(2, EventCodec.SCHEMA_VERSION);
        }
    }
}
