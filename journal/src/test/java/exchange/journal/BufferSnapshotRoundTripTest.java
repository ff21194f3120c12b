package exchange.journal;

import exchange.engine.Command;
import exchange.engine.EventSink;
import exchange.engine.Exchange;
import exchange.engine.ExchangeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The engine's snapshot through the byte encoding the snapshot files use, at a size where the
 * bulk-copied order pages and client id pages span several pages: the restored engine has the
 * same state hash, reads every byte, and continues the stream exactly as the original.
 */
@Timeout(60)
class BufferSnapshotRoundTripTest {
    private static final ExchangeConfig CONFIG = TestFlow.config();

    @ParameterizedTest
    @ValueSource(ints = {BufferSnapshotOutput.DEFAULT_CHUNK_BYTES, 4_099})
    void shouldRestoreAMultiPageStateAndContinueIdentically(int chunkBytes) {
        List<Command> flow = new TestFlow(3L).commands(70_000);
        Exchange original = new Exchange(CONFIG);
        for (Command c : flow.subList(0, 60_000)) {
            original.apply(TestFlow.copy(c), EventSink.NONE);
        }
        BufferSnapshotOutput out = new BufferSnapshotOutput(chunkBytes); // 4,099: pages and values straddle chunks
        original.writeSnapshot(out);
        BufferSnapshotInput in = BufferSnapshotInput.of(out);
        Exchange restored = Exchange.readSnapshot(CONFIG, in);
        assertEquals(0, in.remaining(), "every byte read");
        assertEquals(original.stateHash(), restored.stateHash());
        for (Command c : flow.subList(60_000, flow.size())) {
            Command a = TestFlow.copy(c);
            Command b = TestFlow.copy(c);
            original.apply(a, EventSink.NONE);
            restored.apply(b, EventSink.NONE);
            assertEquals(a.result, b.result, "result of seq " + a.seq);
        }
        assertEquals(original.stateHash(), restored.stateHash(), "after continuing the stream");
    }

    @Test
    void shouldRefuseATruncatedPayload() {
        Exchange original = new Exchange(CONFIG);
        for (Command c : new TestFlow(4L).commands(5_000)) {
            original.apply(TestFlow.copy(c), EventSink.NONE);
        }
        BufferSnapshotOutput out = new BufferSnapshotOutput();
        original.writeSnapshot(out);
        byte[] all = new byte[(int) out.length()];
        BufferSnapshotInput.of(out).getBytes(all, 0, all.length);
        BufferSnapshotInput in = new BufferSnapshotInput(all, 0, all.length - 100);
        assertThrows(JournalFormatException.class, () -> Exchange.readSnapshot(CONFIG, in));
    }
}
