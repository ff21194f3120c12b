package exchange.readside.marketdata;

import exchange.engine.Side;

/**
 * A trade as the public sees it (no accounts, no fees). {@code takerSide} is the aggressor's side:
 * {@code SELL} means the buyer was the maker (Binance's {@code m} / {@code isBuyerMaker}).
 *
 * <p>A fill against the outside market (issue 19) is a trade on this exchange too: its
 * {@code venue} names the quote source, the liquidity provider is the taker and has no order
 * (its side's order id is 0), the customer's resting order is the maker.
 *
 * @param timeNanos the trade event's timestamp, epoch nanos
 * @param seq the sequence of the command that traded
 * @param venue the quote source of a fill against the outside market; null for a trade in our book
 */
public record PublicTrade(String symbol, long tradeId, long priceTicks, long qty, Side takerSide, long buyerOrderId,
                          long sellerOrderId, long timeNanos, long seq, String venue) {

    public boolean buyerIsMaker() {
        return takerSide == Side.SELL;
    }
}
