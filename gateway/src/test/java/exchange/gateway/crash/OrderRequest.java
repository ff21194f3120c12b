package exchange.gateway.crash;

import java.math.BigDecimal;
import java.util.Random;

/**
 * One {@code POST /v1/orders} body. Kept verbatim so that a retry after the restart is the
 * identical request, which the exchange must answer idempotently.
 *
 * @param price decimal string, e.g. {@code "100.25"}
 * @param tif   {@code day|gtc|ioc|fok}
 */
record OrderRequest(String clientOrderId, String symbol, String side, long qty, String price, String tif,
                    boolean postOnly) {

    /**
     * A random order near the reference prices (within one dollar, inside the price collar), biased
     * so that buys and sells overlap and most orders either trade at once or rest to be traded
     * against: mostly day and gtc, some ioc and fok, a few post-only.
     */
    static OrderRequest random(String clientOrderId, Random rnd) {
        boolean aapl = rnd.nextInt(100) < 60;
        String symbol = aapl ? "AAPL" : "MSFT";
        long reference = Traders.ticks(aapl ? CrashConfig.AAPL_REFERENCE : CrashConfig.MSFT_REFERENCE);
        boolean buy = rnd.nextBoolean();
        int cents = buy ? rnd.nextInt(101) - 40 : rnd.nextInt(101) - 60;
        long price = reference + cents * 100L;
        int t = rnd.nextInt(100);
        String tif = t < 40 ? "day" : t < 75 ? "gtc" : t < 95 ? "ioc" : "fok";
        boolean postOnly = (tif.equals("day") || tif.equals("gtc")) && rnd.nextInt(100) < 5;
        return new OrderRequest(clientOrderId, symbol, buy ? "buy" : "sell", 1 + rnd.nextInt(100),
                BigDecimal.valueOf(price, 4).setScale(2).toPlainString(), tif, postOnly);
    }

    String json() {
        return "{\"client_order_id\":\"" + clientOrderId + "\",\"symbol\":\"" + symbol + "\",\"side\":\"" + side
                + "\",\"qty\":" + qty + ",\"limit_price\":\"" + price + "\",\"time_in_force\":\"" + tif
                + "\",\"post_only\":" + postOnly + "}";
    }
}
