package exchange.engine.testing;

import exchange.engine.Command;
import exchange.engine.EventSink;
import exchange.engine.Exchange;
import exchange.engine.OrderView;
import exchange.engine.reference.ReferenceExchange;
import exchange.risk.Account;
import exchange.risk.Ledger;

import java.util.List;

/**
 * What a rule test needs from an exchange: apply a command and read state back. Adapted over the
 * real {@link Exchange} ({@link #of}) and implemented by the naive {@link ReferenceExchange}, so the
 * same rule tests pin down both (and a wrong expectation in a test shows up against both).
 */
public interface Venue {
    void apply(Command command, EventSink sink);

    long lastSeq();

    boolean isSessionOpen();

    boolean order(long orderId, OrderView into);

    List<OrderView> openOrders();

    long openOrderCount();

    long bestBidTicks(String symbol);

    long bestAskTicks(String symbol);

    long lastTradePriceTicks(String symbol);

    /** Total of {@code asset} ("USD" or a symbol) held by the account. */
    long total(long accountId, String asset);

    /** Reserved part of {@code asset} held by the account's open orders. */
    long reserved(long accountId, String asset);

    /** Cash fees the exchange collected. */
    long feesCollected();

    /** Checks internal invariants where the venue has them; a no-op for the model. */
    void validate();

    /** Successful session closes applied. */
    long closeCount();

    /** {@code max(0, closeCount - idempotencySessions)}. */
    long windowStartCloseCount();

    /** Sequence of the last close that evicted an order; 0 if none has. */
    long lastEvictionSeq();

    /** Orders held: live ones and ended ones inside the idempotency window. */
    long heldOrderCount();

    static Venue of(Exchange x) {
        return new Venue() {
            @Override
            public void apply(Command command, EventSink sink) {
                x.apply(command, sink);
            }

            @Override
            public long lastSeq() {
                return x.lastSeq();
            }

            @Override
            public boolean isSessionOpen() {
                return x.isSessionOpen();
            }

            @Override
            public boolean order(long orderId, OrderView into) {
                return x.order(orderId, into);
            }

            @Override
            public List<OrderView> openOrders() {
                return x.openOrders();
            }

            @Override
            public long openOrderCount() {
                return x.openOrderCount();
            }

            @Override
            public long bestBidTicks(String symbol) {
                return x.bestBidTicks(symbol);
            }

            @Override
            public long bestAskTicks(String symbol) {
                return x.bestAskTicks(symbol);
            }

            @Override
            public long lastTradePriceTicks(String symbol) {
                return x.lastTradePriceTicks(symbol);
            }

            @Override
            public long total(long accountId, String asset) {
                Account a = x.ledger().account(accountId);
                return a == null ? 0 : a.total(x.ledger().assetIndex(asset));
            }

            @Override
            public long reserved(long accountId, String asset) {
                Account a = x.ledger().account(accountId);
                return a == null ? 0 : a.reserved(x.ledger().assetIndex(asset));
            }

            @Override
            public long feesCollected() {
                return x.ledger().feesCollected(Ledger.CASH);
            }

            @Override
            public void validate() {
                x.validateInternalState();
            }

            @Override
            public long closeCount() {
                return x.closeCount();
            }

            @Override
            public long windowStartCloseCount() {
                return x.windowStartCloseCount();
            }

            @Override
            public long lastEvictionSeq() {
                return x.lastEvictionSeq();
            }

            @Override
            public long heldOrderCount() {
                return x.heldOrderCount();
            }
        };
    }
}
