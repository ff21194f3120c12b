package exchange.engine;

import java.util.Objects;

/**
 * One output event of the engine. A flat, mutable record reused as a flyweight on the hot path;
 * {@link #copy()} gives an independent value with {@link #equals}, used by tests and by
 * consumers that keep events. Fields per type are listed on {@link EventType}.
 */
public final class EngineEvent {
    public EventType type;
    /** Sequence of the command that produced the event. */
    public long seq;
    /** The command's stamped time, epoch nanos. */
    public long timestampNanos;
    public long accountId;
    public long orderId;
    public String clientOrderId;
    public String symbol;
    public Side side;
    public long qty;
    public long priceTicks;
    public TimeInForce timeInForce;
    public boolean postOnly;
    /** The self-trade prevention the order asked for ({@code DEFAULT} included), as the order stores it. */
    public SelfTradePrevention selfTradePrevention;
    public long leavesQty;
    public long amount;
    public long tradeId;
    public long counterOrderId;
    public long counterAccountId;
    public long counterLeavesQty;
    public long takerFee;
    public long makerFee;
    public ResultCode code;
    public ExpiryReason expiryReason;
    public String asset;
    public String transferId;
    public String name;
    public String apiKeyHash;
    public int makerFeeBps;
    public int takerFeeBps;
    public long sessionDate;
    /** TRADE_EXECUTED against the outside market and REFERENCE_QUOTED: the quote source's name. */
    public String venue;
    public long bidPriceTicks;
    public long bidQty;
    public long askPriceTicks;
    public long askQty;
    public long lastPriceTicks;
    public long staleAfterNanos;

    /** Resets every field and sets the envelope. */
    public EngineEvent reset(EventType type, long seq, long timestampNanos) {
        this.type = type;
        this.seq = seq;
        this.timestampNanos = timestampNanos;
        accountId = 0;
        orderId = 0;
        clientOrderId = null;
        symbol = null;
        side = null;
        qty = 0;
        priceTicks = 0;
        timeInForce = null;
        postOnly = false;
        selfTradePrevention = null;
        leavesQty = 0;
        amount = 0;
        tradeId = 0;
        counterOrderId = 0;
        counterAccountId = 0;
        counterLeavesQty = 0;
        takerFee = 0;
        makerFee = 0;
        code = null;
        expiryReason = null;
        asset = null;
        transferId = null;
        name = null;
        apiKeyHash = null;
        makerFeeBps = 0;
        takerFeeBps = 0;
        sessionDate = 0;
        venue = null;
        bidPriceTicks = 0;
        bidQty = 0;
        askPriceTicks = 0;
        askQty = 0;
        lastPriceTicks = 0;
        staleAfterNanos = 0;
        return this;
    }

    public EngineEvent copy() {
        EngineEvent e = new EngineEvent();
        e.copyFrom(this);
        return e;
    }

    public void copyFrom(EngineEvent o) {
        type = o.type;
        seq = o.seq;
        timestampNanos = o.timestampNanos;
        accountId = o.accountId;
        orderId = o.orderId;
        clientOrderId = o.clientOrderId;
        symbol = o.symbol;
        side = o.side;
        qty = o.qty;
        priceTicks = o.priceTicks;
        timeInForce = o.timeInForce;
        postOnly = o.postOnly;
        selfTradePrevention = o.selfTradePrevention;
        leavesQty = o.leavesQty;
        amount = o.amount;
        tradeId = o.tradeId;
        counterOrderId = o.counterOrderId;
        counterAccountId = o.counterAccountId;
        counterLeavesQty = o.counterLeavesQty;
        takerFee = o.takerFee;
        makerFee = o.makerFee;
        code = o.code;
        expiryReason = o.expiryReason;
        asset = o.asset;
        transferId = o.transferId;
        name = o.name;
        apiKeyHash = o.apiKeyHash;
        makerFeeBps = o.makerFeeBps;
        takerFeeBps = o.takerFeeBps;
        sessionDate = o.sessionDate;
        venue = o.venue;
        bidPriceTicks = o.bidPriceTicks;
        bidQty = o.bidQty;
        askPriceTicks = o.askPriceTicks;
        askQty = o.askQty;
        lastPriceTicks = o.lastPriceTicks;
        staleAfterNanos = o.staleAfterNanos;
    }

    @Override
    public boolean equals(Object x) {
        if (!(x instanceof EngineEvent o)) {
            return false;
        }
        return type == o.type && seq == o.seq && timestampNanos == o.timestampNanos && accountId == o.accountId
                && orderId == o.orderId && qty == o.qty && priceTicks == o.priceTicks && postOnly == o.postOnly
                && leavesQty == o.leavesQty && amount == o.amount && tradeId == o.tradeId
                && counterOrderId == o.counterOrderId && counterAccountId == o.counterAccountId
                && counterLeavesQty == o.counterLeavesQty && takerFee == o.takerFee && makerFee == o.makerFee
                && makerFeeBps == o.makerFeeBps && takerFeeBps == o.takerFeeBps && sessionDate == o.sessionDate
                && side == o.side && timeInForce == o.timeInForce && selfTradePrevention == o.selfTradePrevention
                && code == o.code && expiryReason == o.expiryReason
                && Objects.equals(clientOrderId, o.clientOrderId) && Objects.equals(symbol, o.symbol)
                && Objects.equals(asset, o.asset) && Objects.equals(transferId, o.transferId)
                && Objects.equals(name, o.name) && Objects.equals(apiKeyHash, o.apiKeyHash)
                && Objects.equals(venue, o.venue) && bidPriceTicks == o.bidPriceTicks && bidQty == o.bidQty
                && askPriceTicks == o.askPriceTicks && askQty == o.askQty && lastPriceTicks == o.lastPriceTicks
                && staleAfterNanos == o.staleAfterNanos;
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, seq, orderId, tradeId, qty, priceTicks);
    }

    /** A compact, stable, human-readable form listing only the fields that are set. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(128).append(type).append("{seq=").append(seq);
        if (timestampNanos != 0) sb.append(" ts=").append(timestampNanos);
        if (accountId != 0) sb.append(" account=").append(accountId);
        if (orderId != 0) sb.append(" order=").append(orderId);
        if (clientOrderId != null) sb.append(" clientOrderId=").append(clientOrderId);
        if (symbol != null) sb.append(" symbol=").append(symbol);
        if (side != null) sb.append(" side=").append(side);
        if (qty != 0) sb.append(" qty=").append(qty);
        if (priceTicks != 0) sb.append(" price=").append(priceTicks);
        if (timeInForce != null) sb.append(" tif=").append(timeInForce);
        if (postOnly) sb.append(" postOnly");
        if (selfTradePrevention != null) sb.append(" stp=").append(selfTradePrevention);
        if (leavesQty != 0) sb.append(" leaves=").append(leavesQty);
        if (amount != 0) sb.append(" amount=").append(amount);
        if (tradeId != 0) sb.append(" trade=").append(tradeId);
        if (counterOrderId != 0) sb.append(" counterOrder=").append(counterOrderId);
        if (counterAccountId != 0) sb.append(" counterAccount=").append(counterAccountId);
        if (counterLeavesQty != 0) sb.append(" counterLeaves=").append(counterLeavesQty);
        if (takerFee != 0) sb.append(" takerFee=").append(takerFee);
        if (makerFee != 0) sb.append(" makerFee=").append(makerFee);
        if (code != null) sb.append(" code=").append(code);
        if (expiryReason != null) sb.append(" expiry=").append(expiryReason);
        if (asset != null) sb.append(" asset=").append(asset);
        if (transferId != null) sb.append(" transfer=").append(transferId);
        if (name != null) sb.append(" name=").append(name);
        if (apiKeyHash != null) sb.append(" keyHash=").append(apiKeyHash);
        if (makerFeeBps != 0) sb.append(" makerBps=").append(makerFeeBps);
        if (takerFeeBps != 0) sb.append(" takerBps=").append(takerFeeBps);
        if (sessionDate != 0) sb.append(" sessionDate=").append(sessionDate);
        if (venue != null) sb.append(" venue=").append(venue);
        if (bidPriceTicks != 0 || bidQty != 0) sb.append(" bid=").append(bidQty).append('@').append(bidPriceTicks);
        if (askPriceTicks != 0 || askQty != 0) sb.append(" ask=").append(askQty).append('@').append(askPriceTicks);
        if (lastPriceTicks != 0) sb.append(" last=").append(lastPriceTicks);
        if (staleAfterNanos != 0) sb.append(" staleAfter=").append(staleAfterNanos);
        return sb.append('}').toString();
    }
}
