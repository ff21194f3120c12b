package exchange.engine.pipeline;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.LiteBlockingWaitStrategy;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;

/**
 * How consumer threads wait for work. {@code BLOCKING_PARKING} (the default: no busy-spin at all,
 * see {@link BlockingParkingWaitStrategy}), {@code BLOCKING}, {@code LITE_BLOCKING} and
 * {@code SLEEPING} suit a small shared box (the two Disruptor blocking strategies still spin while
 * an upstream stage finishes; sleeping wakes idle threads constantly); {@code YIELDING} and {@code BUSY_SPIN} burn a core per consumer thread and
 * need more physical cores than handler threads (the pipeline has two).
 */
public enum WaitStrategyKind {
    BLOCKING,
    /** Blocks for the producer, parks (after a short spin) for upstream stages: {@link BlockingParkingWaitStrategy}. */
    BLOCKING_PARKING,
    LITE_BLOCKING,
    SLEEPING,
    YIELDING,
    BUSY_SPIN;

    public WaitStrategy create() {
        return switch (this) {
            case BLOCKING -> new BlockingWaitStrategy();
            case BLOCKING_PARKING -> new BlockingParkingWaitStrategy();
            case LITE_BLOCKING -> new LiteBlockingWaitStrategy();
            case SLEEPING -> new SleepingWaitStrategy();
            case YIELDING -> new YieldingWaitStrategy();
            case BUSY_SPIN -> new BusySpinWaitStrategy();
        };
    }
}
