package exchange.engine.pipeline;

import exchange.engine.EventSink;

import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;

/**
 * Settings of an {@link ExchangePipeline}, each with a named default, validated by
 * {@link #validate()} before the pipeline starts.
 */
public final class PipelineConfig {
    /**
     * 65,536 slots, about 1.5 KB each (~97 MB), so a slot has left the CPU caches by the time the
     * ring comes round to it. A 4,096-slot ring (~6 MB, in L3) was tried and not kept: its runs
     * were bimodal, half of them cheaper per command and half dearer than this ring's, and neither
     * HTTP throughput nor latency at 100k/s improved (BENCHMARKS.md, issue 21: "Tried, not kept").
     */
    public static final int DEFAULT_RING_SIZE = 1 << 16;
    public static final WaitStrategyKind DEFAULT_WAIT_STRATEGY = WaitStrategyKind.BLOCKING_PARKING;

    int ringSize = DEFAULT_RING_SIZE;
    WaitStrategyKind waitStrategy = DEFAULT_WAIT_STRATEGY;
    CommandProcessor processor;
    JournalPort journal = JournalPort.NONE;
    ResultListener resultListener = ResultListener.NONE;
    EventSink committedEvents = EventSink.NONE;
    long initialSeq;
    Consumer<Throwable> onFailure = t -> { };
    ThreadFactory threadFactory;

    /** Power of two, at least 2. */
    public PipelineConfig ringSize(int v) {
        ringSize = v;
        return this;
    }

    public PipelineConfig waitStrategy(WaitStrategyKind v) {
        waitStrategy = v;
        return this;
    }

    public PipelineConfig processor(CommandProcessor v) {
        processor = v;
        return this;
    }

    public PipelineConfig journal(JournalPort v) {
        journal = v;
        return this;
    }

    /**
     * Receives every event on the results thread, in engine order, once its command is applied
     * and journaled, before the command's {@link ResultListener} call and its caller's answer:
     * the events queue, read models and market data go here.
     */
    public PipelineConfig committedEvents(EventSink v) {
        committedEvents = v;
        return this;
    }

    public PipelineConfig resultListener(ResultListener v) {
        resultListener = v;
        return this;
    }

    /** The engine's last applied sequence at start (after recovery): the journal stage counts on from it. */
    public PipelineConfig initialSeq(long v) {
        initialSeq = v;
        return this;
    }

    /** Called once, from the failing thread, when a stage throws and the pipeline stops (fail-stop). */
    public PipelineConfig onFailure(Consumer<Throwable> v) {
        onFailure = v;
        return this;
    }

    public PipelineConfig threadFactory(ThreadFactory v) {
        threadFactory = v;
        return this;
    }

    void validate() {
        if (ringSize < 2 || Integer.bitCount(ringSize) != 1) {
            throw new IllegalArgumentException("ringSize must be a power of two >= 2: " + ringSize);
        }
        Objects.requireNonNull(waitStrategy, "waitStrategy");
        Objects.requireNonNull(processor, "processor");
        Objects.requireNonNull(journal, "journal");
        Objects.requireNonNull(resultListener, "resultListener");
        Objects.requireNonNull(committedEvents, "committedEvents");
        Objects.requireNonNull(onFailure, "onFailure");
        if (initialSeq < 0) {
            throw new IllegalArgumentException("initialSeq must be >= 0");
        }
    }
}
