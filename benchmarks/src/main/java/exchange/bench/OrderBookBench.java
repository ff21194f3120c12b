package exchange.bench;

import exchange.engine.Command;
import exchange.engine.CommandType;
import exchange.engine.EngineEvent;
import exchange.engine.EventSink;
import exchange.engine.Exchange;
import exchange.engine.OrderStatus;
import exchange.engine.ResultCode;
import exchange.engine.Side;
import exchange.engine.TimeInForce;
import exchange.risk.Money;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * Order-book operations through {@link Exchange#apply} on a prepared exchange: one symbol (AAPL)
 * with ten bid and ten ask levels of four resting orders each, around $190.00, and 16 funded
 * accounts. The op unit is one applied command, so scores compare with other engines'
 * "order-book ops per second".
 *
 * <ul>
 *   <li>{@code addPassiveThenCancel}: a DAY limit order joins the tail of an existing level
 *       1..10 ticks behind the touch (alternating sides and accounts), then is cancelled.</li>
 *   <li>{@code crossRestingOrder}: a maker rests 100 shares at the mid (a new best level), then
 *       a taker of another account takes exactly them (one trade, both orders filled, the level
 *       goes back to the pool). Each of seven account pairs does four such trades in a row,
 *       rotating roles and sides, so balances oscillate instead of draining and the steady
 *       state is stable.</li>
 * </ul>
 * Throughput methods apply {@link #PAIRS} pairs per invocation; the {@code *Latency} methods one
 * pair, sampled. Every order the engine has seen stays in its order store and client-order-id
 * index (idempotency and queries need them), so the state grows with each op; after
 * {@code ordersPerExchange} orders the exchange is rebuilt, and the old one collected, in the
 * per-invocation set-up, which JMH does not time. The parameter shows what that growth costs:
 * 65,536 orders keep the engine's state at a few MB, 1,048,576 (a busy day) at a few hundred.
 */
@State(Scope.Thread)
public class OrderBookBench extends BenchmarkDefaults {
    /** Pairs of commands per throughput invocation (a few milliseconds of work). */
    static final int PAIRS = 4_096;
    static final int ACCOUNTS = 16;
    static final String SYMBOL = "AAPL";
    static final long MID = 190 * Money.SCALE;
    static final long TICK = Money.CENT;
    static final int LEVELS = 10;
    static final int ORDERS_PER_LEVEL = 4;
    static final long QTY = 100;

    /** Orders applied to one exchange before it is rebuilt (bounds the heap the order store uses). */
    @Param({"65536", "1048576"})
    public int ordersPerExchange;

    private final Command place = new Command();
    private final Command cancel = new Command();
    private final Command take = new Command();
    private final CountingSink sink = new CountingSink();
    private Command[] setup;
    private String[] clientOrderIds;
    private Exchange exchange;
    private int nextClientOrderId;
    private int ordersSinceReset;
    private long nowNanos;
    private int step;

    /** Counts events so their delivery cannot be optimised away. */
    static final class CountingSink implements EventSink {
        long events;

        @Override
        public void onEvent(EngineEvent event) {
            events++;
        }
    }

    @Setup(Level.Trial)
    public void prepare() {
        OrderFlowGenerator generator = new OrderFlowGenerator(1, ACCOUNTS);
        setup = generator.next(generator.setupCommandCount());
        if (ordersPerExchange < 4 * PAIRS) {
            throw new IllegalArgumentException("ordersPerExchange must be at least " + 4 * PAIRS);
        }
        clientOrderIds = new String[ordersPerExchange];
        for (int i = 0; i < clientOrderIds.length; i++) {
            clientOrderIds[i] = "k" + i;
        }
        nowNanos = setup[setup.length - 1].timestampNanos;
        rebuild();
    }

    /** Untimed: swaps in a fresh exchange when the current one has seen its quota of orders. */
    @Setup(Level.Invocation)
    public void rebuildIfFull() {
        if (ordersSinceReset + 2 * PAIRS > ordersPerExchange) {
            exchange = null;
            System.gc(); // collect the dropped exchange here rather than inside a timed invocation
            rebuild();
        }
    }

    private void rebuild() {
        exchange = BenchSupport.preparedExchange(setup);
        nextClientOrderId = 0;
        ordersSinceReset = 0;
        Command c = new Command();
        for (int level = 1; level <= LEVELS; level++) {
            for (int k = 0; k < ORDERS_PER_LEVEL; k++) {
                for (Side side : Side.values()) {
                    long price = side == Side.BUY ? MID - level * TICK : MID + level * TICK;
                    fillPlace(c, 3 + (level * ORDERS_PER_LEVEL + k) % (ACCOUNTS - 2), side, price);
                    BenchSupport.applyExpectingOk(exchange, c);
                }
            }
        }
        place.clear();
        cancel.clear();
        take.clear();
    }

    private void fillPlace(Command c, long accountId, Side side, long priceTicks) {
        c.clear();
        c.type = CommandType.PLACE_ORDER;
        c.timestampNanos = ++nowNanos;
        c.accountId = accountId;
        c.clientOrderId = clientOrderIds[nextClientOrderId++];
        c.symbol = SYMBOL;
        c.side = side;
        c.qty = QTY;
        c.priceTicks = priceTicks;
        c.timeInForce = TimeInForce.DAY;
        ordersSinceReset++;
    }

    /** Fills the reused command in place (only the fields that change), like a ring slot. */
    private void setPlace(Command c, long accountId, Side side, long priceTicks) {
        c.type = CommandType.PLACE_ORDER;
        c.seq = 0;
        c.timestampNanos = ++nowNanos;
        c.accountId = accountId;
        c.clientOrderId = clientOrderIds[nextClientOrderId++];
        c.symbol = SYMBOL;
        c.side = side;
        c.qty = QTY;
        c.priceTicks = priceTicks;
        c.timeInForce = TimeInForce.DAY;
        ordersSinceReset++;
    }

    private void addAndCancelOne() {
        int i = step++;
        Side side = (i & 1) == 0 ? Side.BUY : Side.SELL;
        long behind = (1 + i % LEVELS) * TICK;
        long accountId = 3 + i % (ACCOUNTS - 2);
        setPlace(place, accountId, side, side == Side.BUY ? MID - behind : MID + behind);
        exchange.apply(place, sink);
        cancel.type = CommandType.CANCEL_ORDER;
        cancel.seq = 0;
        cancel.timestampNanos = ++nowNanos;
        cancel.accountId = accountId;
        cancel.orderId = place.order.orderId;
        exchange.apply(cancel, sink);
        if (cancel.result != ResultCode.OK) {
            throw new IllegalStateException("passive order did not rest: " + place + " then " + cancel);
        }
    }

    private void crossOne() {
        int i = step++;
        long pair = 1 + 2 * ((i >>> 2) % (ACCOUNTS / 2 - 1)); // accounts (pair, pair + 1), four ops in a row
        long maker = pair + (i & 1);
        long taker = pair + 1 - (i & 1);
        Side makerSide = (i & 2) == 0 ? Side.SELL : Side.BUY;
        setPlace(place, maker, makerSide, MID);
        exchange.apply(place, sink);
        setPlace(take, taker, makerSide.opposite(), MID);
        exchange.apply(take, sink);
        if (take.order.status != OrderStatus.FILLED) {
            throw new IllegalStateException("taker did not fill against the maker: " + take);
        }
    }

    @Benchmark
    @OperationsPerInvocation(2 * PAIRS)
    public long addPassiveThenCancel() {
        for (int n = 0; n < PAIRS; n++) {
            addAndCancelOne();
        }
        return sink.events;
    }

    @Benchmark
    @OperationsPerInvocation(2 * PAIRS)
    public long crossRestingOrder() {
        for (int n = 0; n < PAIRS; n++) {
            crossOne();
        }
        return sink.events;
    }

    /** One add-then-cancel pair per sample (two commands). */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public long addPassiveThenCancelLatency() {
        addAndCancelOne();
        return sink.events;
    }

    /** One rest-then-take pair per sample (two commands, one trade). */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public long crossRestingOrderLatency() {
        crossOne();
        return sink.events;
    }
}
