package exchange.readside.history;

import exchange.engine.EngineEvent;
import exchange.engine.Side;
import exchange.readside.candle.Candle;
import exchange.readside.candle.CandleInterval;
import exchange.readside.candle.CandleSeries;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The history writer's share of candles: it aggregates each trade into the 1s, 1m and 5m series
 * of its symbol through {@link CandleSeries} (the rule the market-data projection uses, so the
 * table and memory agree) and writes, at the batch's commit, one upsert per bucket the batch
 * touched, not one per trade. At open it resumes every series from its newest stored candle, so
 * a trade after a restart joins the bucket it belongs to.
 *
 * <p>History writer thread only; the statements run in the writer's batch transaction.
 */
final class CandleWriter {
    static final String COLUMNS = "symbol, interval_code, open_time, open_price, high_price, low_price, close_price,"
            + " volume, quote_volume, taker_buy_volume, taker_buy_quote_volume, trade_count, first_trade_id, last_trade_id, last_trade_at, seq";
    private static final String UPSERT = "INSERT INTO candles (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            + " ?, ?, ?, ?, ?, ?) ON CONFLICT (symbol, interval_code, open_time) DO UPDATE SET"
            + " open_price = excluded.open_price, high_price = excluded.high_price, low_price = excluded.low_price,"
            + " close_price = excluded.close_price, volume = excluded.volume, quote_volume = excluded.quote_volume,"
            + " taker_buy_volume = excluded.taker_buy_volume, taker_buy_quote_volume = excluded.taker_buy_quote_volume,"
            + " trade_count = excluded.trade_count, first_trade_id = excluded.first_trade_id,"
            + " last_trade_id = excluded.last_trade_id, last_trade_at = excluded.last_trade_at, seq = excluded.seq";
    private static final String NEWEST = "SELECT " + COLUMNS + " FROM candles c WHERE open_time ="
            + " (SELECT MAX(open_time) FROM candles n WHERE n.symbol = c.symbol AND n.interval_code = c.interval_code)";

    private final PreparedStatement upsert;
    private final Map<String, CandleSeries[]> series = new HashMap<>();
    /** The newest state of every bucket this batch touched, by symbol, interval and open time. */
    private final Map<String, Candle> dirty = new LinkedHashMap<>();

    CandleWriter(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(NEWEST)) {
            while (rs.next()) {
                Candle candle = read(rs, true);
                seriesOf(candle.symbol())[candle.interval().ordinal()].resume(candle);
            }
        }
        this.upsert = c.prepareStatement(UPSERT);
    }

    /** A candle row of {@link #COLUMNS}. */
    static Candle read(ResultSet rs, boolean closed) throws SQLException {
        CandleInterval interval = CandleInterval.ofCode(rs.getString(2))
                .orElseThrow(() -> new SQLException("unknown candle interval in the history database"));
        return new Candle(rs.getString(1), interval, rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6),
                rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10), rs.getLong(11), rs.getLong(12),
                rs.getLong(13), rs.getLong(14), rs.getLong(15), rs.getLong(16), closed);
    }

    private CandleSeries[] seriesOf(String symbol) {
        return series.computeIfAbsent(symbol, s -> {
            CandleSeries[] all = new CandleSeries[CandleInterval.values().length];
            for (CandleInterval i : CandleInterval.values()) {
                all[i.ordinal()] = new CandleSeries(s, i);
            }
            return all;
        });
    }

    /** Aggregates a {@code TRADE_EXECUTED} event. */
    void trade(EngineEvent e) {
        for (CandleSeries s : seriesOf(e.symbol)) {
            Candle finished = s.add(e.timestampNanos, e.priceTicks, e.qty, e.side == Side.BUY, e.tradeId, e.seq);
            if (finished != null) {
                dirty.put(key(finished), finished);
            }
            Candle current = s.current(false);
            dirty.put(key(current), current);
        }
    }

    private static String key(Candle c) {
        return c.symbol() + '\u0000' + c.interval().code() + '\u0000' + c.openTimeNanos();
    }

    /** Writes the touched buckets into the open transaction. */
    void flush() throws SQLException {
        if (dirty.isEmpty()) {
            return;
        }
        PreparedStatement ps = upsert;
        for (Candle c : dirty.values()) {
            ps.setString(1, c.symbol());
            ps.setString(2, c.interval().code());
            ps.setLong(3, c.openTimeNanos());
            ps.setLong(4, c.openTicks());
            ps.setLong(5, c.highTicks());
            ps.setLong(6, c.lowTicks());
            ps.setLong(7, c.closeTicks());
            ps.setLong(8, c.volume());
            ps.setLong(9, c.quoteVolumeTicks());
            ps.setLong(10, c.takerBuyVolume());
            ps.setLong(11, c.takerBuyQuoteVolumeTicks());
            ps.setLong(12, c.tradeCount());
            ps.setLong(13, c.firstTradeId());
            ps.setLong(14, c.lastTradeId());
            ps.setLong(15, c.lastTradeAtNanos());
            ps.setLong(16, c.seq());
            ps.addBatch();
        }
        ps.executeBatch();
        dirty.clear();
    }
}
