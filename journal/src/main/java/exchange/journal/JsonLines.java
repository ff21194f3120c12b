package exchange.journal;

import exchange.engine.report.ReportFormat;
import exchange.engine.Command;
import exchange.engine.EngineEvent;
import exchange.engine.EventType;
import exchange.engine.Side;
import exchange.risk.Money;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Locale;

/**
 * Formats journaled commands and engine events as one-line JSON objects (JSON Lines), for the
 * event tail and the journal dump. Keys are snake_case; prices, cash amounts and fees are decimal
 * strings ({@link Money#format}), share quantities integers; times are ISO-8601 instants, session
 * dates ISO dates; enum values are lowercase except result codes and expiry reasons, which keep
 * the API's upper-case names. Each line lists the fields documented for its type
 * ({@code EventType}), zero or not, and nothing else.
 *
 * <p>Stateless; allocates the output and a few temporaries, so it is for tools, not the hot path.
 */
public final class JsonLines {
    private static final String CASH = "USD";

    private JsonLines() {
    }

    public static String event(EngineEvent e) {
        StringBuilder sb = new StringBuilder(256);
        appendEvent(sb, e);
        return sb.toString();
    }

    public static String command(Command c) {
        StringBuilder sb = new StringBuilder(256);
        appendCommand(sb, c);
        return sb.toString();
    }

    /** Appends the event's JSON object (no newline). */
    public static void appendEvent(StringBuilder sb, EngineEvent e) {
        sb.append('{');
        str(sb, "type", e.type == null ? null : e.type.name().toLowerCase(Locale.ROOT));
        num(sb, "seq", e.seq);
        str(sb, "time", time(e.timestampNanos));
        if (e.type == null) {
            sb.append('}');
            return;
        }
        switch (e.type) {
            case ACCOUNT_CREATED -> {
                num(sb, "account_id", e.accountId);
                str(sb, "name", e.name);
                str(sb, "api_key_hash", e.apiKeyHash);
                num(sb, "maker_fee_bps", e.makerFeeBps);
                num(sb, "taker_fee_bps", e.takerFeeBps);
            }
            case FUNDS_DEPOSITED, FUNDS_WITHDRAWN, TRANSFER_REJECTED -> {
                num(sb, "account_id", e.accountId);
                str(sb, "asset", e.asset);
                str(sb, "amount", assetAmount(e.asset, e.amount));
                str(sb, "transfer_id", e.transferId);
                if (e.type == EventType.TRANSFER_REJECTED) {
                    str(sb, "code", e.code == null ? null : e.code.name());
                }
            }
            case ORDER_ACCEPTED, ORDER_REJECTED -> {
                orderFields(sb, e);
                if (e.type == EventType.ORDER_ACCEPTED) {
                    str(sb, "hold_amount", hold(e.side, e.amount));
                } else {
                    str(sb, "code", e.code == null ? null : e.code.name());
                }
            }
            case TRADE_EXECUTED -> {
                num(sb, "trade_id", e.tradeId);
                str(sb, "symbol", e.symbol);
                str(sb, "price", Money.format(e.priceTicks));
                num(sb, "qty", e.qty);
                str(sb, "taker_side", side(e.side));
                num(sb, "taker_order_id", e.orderId);
                num(sb, "taker_account_id", e.accountId);
                num(sb, "maker_order_id", e.counterOrderId);
                num(sb, "maker_account_id", e.counterAccountId);
                str(sb, "taker_fee", Money.format(e.takerFee));
                str(sb, "maker_fee", Money.format(e.makerFee));
                num(sb, "taker_leaves_qty", e.leavesQty);
                num(sb, "maker_leaves_qty", e.counterLeavesQty);
                if (e.venue != null) {
                    str(sb, "venue", e.venue);
                }
            }
            case ORDER_CANCELED, ORDER_EXPIRED -> {
                num(sb, "account_id", e.accountId);
                num(sb, "order_id", e.orderId);
                str(sb, "symbol", e.symbol);
                str(sb, "side", side(e.side));
                num(sb, "qty", e.qty);
                str(sb, "hold_released", hold(e.side, e.amount));
                if (e.type == EventType.ORDER_EXPIRED) {
                    str(sb, "expiry_reason", e.expiryReason == null ? null : e.expiryReason.name());
                }
            }
            case SELF_TRADE_PREVENTED -> {
                num(sb, "account_id", e.accountId);
                num(sb, "order_id", e.orderId);
                num(sb, "resting_order_id", e.counterOrderId);
                str(sb, "symbol", e.symbol);
                str(sb, "price", Money.format(e.priceTicks));
                num(sb, "qty", e.qty);
            }
            case CANCEL_REJECTED -> {
                num(sb, "account_id", e.accountId);
                num(sb, "order_id", e.orderId);
                str(sb, "code", e.code == null ? null : e.code.name());
            }
            case SESSION_OPENED -> {
                str(sb, "session_date", date(e.sessionDate));
                str(sb, "closes_at", time(e.amount));
            }
            case SESSION_CLOSED -> {
                str(sb, "session_date", date(e.sessionDate));
                num(sb, "orders_expired", e.qty);
            }
            case SESSION_REJECTED -> str(sb, "code", e.code == null ? null : e.code.name());
            case REFERENCE_QUOTED -> quoteFields(sb, e.symbol, e.venue, e.bidPriceTicks, e.bidQty, e.askPriceTicks,
                    e.askQty, e.lastPriceTicks, e.staleAfterNanos);
            default -> throw new IllegalStateException("event type without a JSON form: " + e.type);
        }
        sb.append('}');
    }

    private static void quoteFields(StringBuilder sb, String symbol, String venue, long bid, long bidQty, long ask,
                                    long askQty, long last, long staleAfterNanos) {
        str(sb, "symbol", symbol);
        str(sb, "venue", venue);
        str(sb, "bid", Money.format(bid));
        num(sb, "bid_qty", bidQty);
        str(sb, "ask", Money.format(ask));
        num(sb, "ask_qty", askQty);
        str(sb, "last", last == 0 ? null : Money.format(last));
        num(sb, "stale_after_ms", staleAfterNanos / 1_000_000);
    }

    private static void orderFields(StringBuilder sb, EngineEvent e) {
        num(sb, "account_id", e.accountId);
        num(sb, "order_id", e.orderId);
        str(sb, "client_order_id", e.clientOrderId);
        str(sb, "symbol", e.symbol);
        str(sb, "side", side(e.side));
        num(sb, "qty", e.qty);
        str(sb, "limit_price", Money.format(e.priceTicks));
        str(sb, "time_in_force", e.timeInForce == null ? null : e.timeInForce.wireName());
        bool(sb, "post_only", e.postOnly);
        str(sb, "self_trade_prevention", e.selfTradePrevention == null ? null : e.selfTradePrevention.wireName());
    }

    /** Appends the command's JSON object (no newline): its type, sequence, time and input fields. */
    public static void appendCommand(StringBuilder sb, Command c) {
        sb.append('{');
        str(sb, "type", c.type == null ? null : c.type.name().toLowerCase(Locale.ROOT));
        num(sb, "seq", c.seq);
        str(sb, "time", time(c.timestampNanos));
        if (c.type == null) {
            sb.append('}');
            return;
        }
        switch (c.type) {
            case CREATE_ACCOUNT -> {
                str(sb, "name", c.name);
                str(sb, "api_key_hash", c.apiKeyHash);
                num(sb, "maker_fee_bps", c.makerFeeBps);
                num(sb, "taker_fee_bps", c.takerFeeBps);
            }
            case DEPOSIT, WITHDRAW -> {
                num(sb, "account_id", c.accountId);
                str(sb, "asset", c.asset);
                str(sb, "amount", assetAmount(c.asset, c.amount));
                str(sb, "transfer_id", c.transferId);
            }
            case PLACE_ORDER -> {
                num(sb, "account_id", c.accountId);
                str(sb, "client_order_id", c.clientOrderId);
                str(sb, "symbol", c.symbol);
                str(sb, "side", side(c.side));
                num(sb, "qty", c.qty);
                str(sb, "limit_price", Money.format(c.priceTicks));
                str(sb, "time_in_force", c.timeInForce == null ? null : c.timeInForce.wireName());
                bool(sb, "post_only", c.postOnly);
                str(sb, "self_trade_prevention", c.selfTradePrevention == null ? null
                        : c.selfTradePrevention.name().toLowerCase(Locale.ROOT));
            }
            case CANCEL_ORDER -> {
                num(sb, "account_id", c.accountId);
                num(sb, "order_id", c.orderId);
            }
            case SESSION_OPEN -> {
                str(sb, "session_date", date(c.sessionDate));
                str(sb, "closes_at", time(c.sessionClosesAtNanos));
            }
            case REFERENCE_QUOTE -> quoteFields(sb, c.symbol, c.venue, c.bidPriceTicks, c.bidQty, c.askPriceTicks,
                    c.askQty, c.lastPriceTicks, c.staleAfterNanos);
            default -> {
                // SESSION_CLOSE and the non-journaled types carry no further input worth printing
            }
        }
        sb.append('}');
    }

    /** A USD amount as a decimal, a share amount as an integer. */
    private static String assetAmount(String asset, long amount) {
        return CASH.equals(asset) ? Money.format(amount) : Long.toString(amount);
    }

    /** A hold: cash (decimal) for a buy, shares (integer) for a sell. */
    private static String hold(Side side, long amount) {
        return side == Side.SELL ? Long.toString(amount) : Money.format(amount);
    }

    private static String side(Side side) {
        return side == null ? null : side.wireName();
    }

    private static String time(long epochNanos) {
        return epochNanos == 0 ? null : Instant.ofEpochSecond(0, epochNanos).toString();
    }

    private static String date(long epochDay) {
        return epochDay == 0 ? null : LocalDate.ofEpochDay(epochDay).toString();
    }

    private static void key(StringBuilder sb, String key) {
        if (sb.charAt(sb.length() - 1) != '{') {
            sb.append(',');
        }
        sb.append('"').append(key).append("\":");
    }

    private static void num(StringBuilder sb, String key, long v) {
        key(sb, key);
        sb.append(v);
    }

    private static void bool(StringBuilder sb, String key, boolean v) {
        key(sb, key);
        sb.append(v);
    }

    private static void str(StringBuilder sb, String key, String v) {
        key(sb, key);
        ReportFormat.string(sb, v);
    }
}
