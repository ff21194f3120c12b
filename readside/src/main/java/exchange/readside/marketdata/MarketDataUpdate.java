package exchange.readside.marketdata;

import exchange.engine.OrderStatus;
import exchange.engine.Side;
import exchange.engine.TimeInForce;
import exchange.readside.candle.Candle;

import java.util.List;

/**
 * What the market-data projection tells its {@link MarketDataListener}s, one immutable value per
 * change. Every update carries the sequence it reflects ({@link #seq()}).
 */
public sealed interface MarketDataUpdate {
    long seq();

    /** A trade (public). */
    record TradeUpdate(PublicTrade trade) implements MarketDataUpdate {
        @Override
        public long seq() {
            return trade.seq();
        }
    }

    /**
     * The levels one command changed in a symbol's book, at their new totals ({@code qty == 0}:
     * level gone). {@code firstSeq} (Binance {@code U}) is the previous diff's {@code seq} of this
     * symbol + 1 (1 for the first diff), {@code seq} (Binance {@code u}) the command's sequence: a
     * client that sees {@code firstSeq != previous seq + 1} has missed a diff.
     */
    record DepthUpdate(String symbol, long firstSeq, long seq, long timeNanos, List<BookLevel> bids,
                       List<BookLevel> asks) implements MarketDataUpdate {
        public DepthUpdate {
            bids = List.copyOf(bids);
            asks = List.copyOf(asks);
        }
    }

    /**
     * A candle's new state after a command traded in it, or its closing ({@code candle.closed()}):
     * sent once per bucket, when a later trade opens the next bucket or the wall clock passes its end.
     */
    record CandleUpdate(long seq, Candle candle) implements MarketDataUpdate {
    }

    /**
     * The symbol's ticker after a command changed it (a trade, the top of the book, the session),
     * after reference quotes changed it (at most one update per symbol every
     * {@link MarketDataProjection#REFERENCE_TICKER_INTERVAL_NANOS} of wall-clock time, at the seq it
     * reflects, however many quotes came), or when a reference quote went stale by the wall clock.
     *
     * @param referenceOnly only the reference quotes changed (or went stale): nothing a ticker
     *     without them shows (Binance's) is different
     */
    record TickerUpdate(Ticker ticker, boolean referenceOnly) implements MarketDataUpdate {
        /** A ticker whose session, trade or top-of-book figures changed. */
        public TickerUpdate(Ticker ticker) {
            this(ticker, false);
        }

        @Override
        public long seq() {
            return ticker.seq();
        }
    }

    /** The best bid and ask after a command changed either (prices 0 = empty side). */
    record BookTickerUpdate(String symbol, long seq, long timeNanos, long bidTicks, long bidQty, long askTicks,
                            long askQty) implements MarketDataUpdate {
    }

    /**
     * One account's order changed (private: for that account's {@code orders} channel only).
     * {@code fill} is set when the change is an execution.
     *
     * <p>The liquidity provider's side of a fill against the outside market has no order: it comes
     * as an update with {@code orderId} 0, no client order id and no time in force, status
     * {@code FILLED}, {@code qty == filledQty ==} the fill's quantity, leaves 0, the fill's price as
     * {@code priceTicks}, and the fill ({@code taker}, with its venue).
     *
     * @param reason the reject or expiry code ({@code INSUFFICIENT_BUYING_POWER}, {@code END_OF_DAY}), or null
     */
    record OrderUpdate(long seq, long timeNanos, long accountId, long orderId, String clientOrderId, String symbol,
                       Side side, OrderStatus status, long qty, long filledQty, long leavesQty, long priceTicks,
                       TimeInForce timeInForce, String reason, OrderFill fill) implements MarketDataUpdate {
    }

    /**
     * An execution of one order: {@code liquidity} is {@code maker} or {@code taker}; {@code venue}
     * the quote source of a fill against the outside market, null for a trade in our book.
     */
    record OrderFill(long tradeId, long qty, long priceTicks, long feeTicks, String liquidity, String venue) {
    }
}
