package exchange.readside.history;

import exchange.engine.ExpiryReason;
import exchange.engine.OrderStatus;
import exchange.engine.ResultCode;
import exchange.engine.SelfTradePrevention;
import exchange.engine.Side;
import exchange.engine.TimeInForce;

import java.util.Locale;

/**
 * How enums are spelled in the history tables: the API's lowercase wire names for side, time in
 * force, status and self-trade prevention; the API's upper-case codes for reject and expiry
 * reasons (as {@code code} and {@code expiry_reason} show them). Null stays NULL. Stateless.
 */
final class Codes {
    static final String DEPOSIT = "deposit";
    static final String WITHDRAWAL = "withdrawal";
    /** A refused transfer: its event does not say whether it was a deposit or a withdrawal. */
    static final String REJECTED = "rejected";
    static final String MAKER = "maker";
    static final String TAKER = "taker";

    private Codes() {
    }

    static String side(Side s) {
        return s == null ? null : s.wireName();
    }

    static Side side(String s) {
        return s == null ? null : s.equals("buy") ? Side.BUY : Side.SELL;
    }

    static String tif(TimeInForce t) {
        return t == null ? null : t.wireName();
    }

    static TimeInForce tif(String s) {
        return s == null ? null : TimeInForce.valueOf(s.toUpperCase(Locale.ROOT));
    }

    static String status(OrderStatus s) {
        return s.wireName();
    }

    static OrderStatus status(String s) {
        return OrderStatus.valueOf(s.toUpperCase(Locale.ROOT));
    }

    static String stp(SelfTradePrevention s) {
        return s == null ? null : s.wireName();
    }

    static SelfTradePrevention stp(String s) {
        return s == null ? null : SelfTradePrevention.valueOf(s.toUpperCase(Locale.ROOT));
    }

    static String reject(ResultCode c) {
        return c == null ? null : c.name();
    }

    static ResultCode reject(String s) {
        return s == null ? null : ResultCode.valueOf(s);
    }

    static String expiry(ExpiryReason r) {
        return r == null || r == ExpiryReason.NONE ? null : r.name();
    }

    static ExpiryReason expiry(String s) {
        return s == null ? null : ExpiryReason.valueOf(s);
    }
}
