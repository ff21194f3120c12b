package exchange.engine.pipeline;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.LiteBlockingWaitStrategy;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;

/**
 * How consumer threads wait for work. {@code BLOCKING} (the default), {@code LITE_BLOCKING} (signals
 * only when a consumer is actually parked, so publishers skip the lock when stages are busy) and
 * {@code SLEEPING} suit a small shared box; {@code YIELDING} and {@code BUSY_SPIN} burn a core per consumer thread and
 * need more physical cores than handler threads (the pipeline has three).
 */
public enum WaitStrategyKind {
    BLOCKING,
    LITE_BLOCKING,
    SLEEPING,
    YIELDING,
    BUSY_SPIN;

    public WaitStrategy create() {
        return switch (this) {
            case BLOCKING -> new BlockingWaitStrategy();
            case LITE_BLOCKING -> new LiteBlockingWaitStrategy();
            case SLEEPING -> new SleepingWaitStrategy();
            case YIELDING -> new YieldingWaitStrategy();
            case BUSY_SPIN -> new BusySpinWaitStrategy();
        };
    }
}
