package exchange.readside.marketdata;

import exchange.engine.Side;

/**
 * A trade as the public sees it (no accounts, no fees). {@code takerSide} is the aggressor's side:
 * {@code SELL} means the buyer was the maker (Binance's {@code m} / {@code isBuyerMaker}).
 *
 * @param timeNanos the trade event's timestamp, epoch nanos
 * @param seq the sequence of the command that traded
 */
public record PublicTrade(String symbol, long tradeId, long priceTicks, long qty, Side takerSide, long buyerOrderId,
                          long sellerOrderId, long timeNanos, long seq) {

    public boolean buyerIsMaker() {
        return takerSide == Side.SELL;
    }
}
