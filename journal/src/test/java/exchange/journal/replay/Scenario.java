package exchange.journal.replay;

import exchange.engine.Command;
import exchange.engine.CommandType;
import exchange.engine.EventType;
import exchange.engine.Exchange;
import exchange.engine.ExchangeConfig;
import exchange.engine.ReconciliationReport;
import exchange.engine.ResultCode;
import exchange.engine.SelfTradePrevention;
import exchange.engine.Side;
import exchange.engine.TimeInForce;
import exchange.engine.report.ReportFormat;
import exchange.journal.BufferSnapshotOutput;
import exchange.journal.ChronicleJournal;
import exchange.journal.EventJournal;
import exchange.journal.JournalOptions;
import exchange.journal.SnapshotStore;
import exchange.risk.Money;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writes a data directory the way the running exchange does, from a deterministic command flow:
 * the config file, every command journaled by the real {@link ChronicleJournal} before the engine
 * applies it, every event into the real {@link EventJournal}, a snapshot mid-session (after
 * {@link ChronicleJournal#force()}, as the pipeline does), and the end-of-day report files at the close.
 *
 * <p>The flow: four accounts, cash and share deposits (one withdrawal too large), session
 * {@link #DAY_1} opens, a scripted crossing of AAPL and IBM (a partial fill, an IOC, a resting GTC,
 * a cancel), then a seeded stream of orders around the reference prices with cancels, the close
 * of day 1 (its DAY orders expire), session {@link #DAY_2} opens and more orders rest. Reference
 * quotes from two venues come in between the orders, and AAPL fills against the outside market
 * with trader-4 as liquidity provider (a scripted quote crosses a resting buy; the random ones
 * cross now and then). It uses a non-demo configuration (symbol IBM, a tighter open-order limit,
 * fills against the reference), so a replay under the wrong configuration diverges.
 */
final class Scenario {
    static final ExchangeConfig CONFIG = ExchangeConfig.builder()
            .symbol("AAPL", 100 * Money.SCALE)
            .symbol("IBM", 150 * Money.SCALE)
            .maxOpenOrdersPerAccount(400)
            .priceCollarBps(500)
            .fillAgainstReference(List.of("AAPL"), "trader-4")
            .build();
    static final LocalDate DAY_1 = LocalDate.of(2026, 11, 20);
    static final LocalDate DAY_2 = LocalDate.of(2026, 11, 23);
    private static final String[] SYMBOLS = {"AAPL", "IBM"};
    private static final long[] MID = {100 * Money.SCALE, 150 * Money.SCALE};
    private static final int ACCOUNTS = 4;

    final Path dataDir;
    final ExchangeConfig config;
    /** Every journaled command's input as journaled (with its seq), in order. */
    final List<Command> journaled = new ArrayList<>();
    /** The reports the engine produced at each close, by session date. */
    final Map<LocalDate, ReconciliationReport> reports = new LinkedHashMap<>();
    /** The exchange that wrote the data directory, in its final state. */
    Exchange live;
    long snapshotSeq;
    /** Trades against the outside market the engine emitted while writing. */
    long outsideFills;

    private final Random rnd;
    private long clock = 1_795_600_000_000_000_000L;
    private int clientIds;
    private int transfers;

    private Exchange exchange;
    private ChronicleJournal journal;
    private EventJournal events;

    private Scenario(Path dataDir, ExchangeConfig config, long seed) {
        this.dataDir = dataDir;
        this.config = config;
        this.rnd = new Random(seed);
    }

    /** Writes the full scenario under {@code dataDir}, including the config file. */
    static Scenario write(Path dataDir, long seed) {
        Scenario s = new Scenario(dataDir, CONFIG, seed);
        ExchangeConfigFile.write(ExchangeConfigFile.in(dataDir), CONFIG);
        s.run(true);
        return s;
    }

    /** Writes the scenario under the demo configuration, without a config file (symbol IBM is then rejected). */
    static Scenario writeDemoWithoutConfigFile(Path dataDir, long seed) {
        Scenario s = new Scenario(dataDir, ExchangeConfig.demo(), seed);
        s.run(false);
        return s;
    }

    private void run(boolean snapshot) {
        exchange = new Exchange(config);
        try (ChronicleJournal j = ChronicleJournal.open(dataDir, JournalOptions.defaults());
             EventJournal e = EventJournal.open(dataDir, JournalOptions.defaults())) {
            journal = j;
            events = e;
            for (int a = 1; a <= ACCOUNTS; a++) {
                Command c = command(CommandType.CREATE_ACCOUNT);
                c.name = "trader-" + a;
                c.apiKeyHash = "key-hash-" + a;
                c.makerFeeBps = a;
                c.takerFeeBps = 2 * a;
                apply(c);
            }
            for (int a = 1; a <= ACCOUNTS; a++) {
                transfer(CommandType.DEPOSIT, a, "USD", 2_000_000 * Money.SCALE);
                transfer(CommandType.DEPOSIT, a, "AAPL", 20_000);
                transfer(CommandType.DEPOSIT, a, "IBM", 20_000);
            }
            transfer(CommandType.WITHDRAW, 2, "USD", 9_000_000 * Money.SCALE);
            sessionOpen(DAY_1);
            long buy = place(1, "AAPL", Side.BUY, 100, 101 * Money.SCALE, TimeInForce.DAY);
            place(2, "AAPL", Side.SELL, 60, 10_050 * Money.CENT, TimeInForce.DAY);
            place(3, "IBM", Side.SELL, 50, 150 * Money.SCALE, TimeInForce.GTC);
            place(4, "IBM", Side.BUY, 20, 15_010 * Money.CENT, TimeInForce.IOC);
            cancel(1, buy);
            place(3, "AAPL", Side.BUY, 25, 9_990 * Money.CENT, TimeInForce.GTC);
            quote("AAPL", "venue1", 9_970 * Money.CENT, 9_985 * Money.CENT, 10);        // fills 10 of the 25
            randomOrders(150);
            if (snapshot) {
                journal.force();
                BufferSnapshotOutput out = new BufferSnapshotOutput();
                exchange.writeSnapshot(out);
                snapshotSeq = exchange.lastSeq();
                new SnapshotStore(dataDir).write(snapshotSeq, out);
            }
            randomOrders(100);
            sessionClose();
            sessionOpen(DAY_2);
            randomOrders(120);
        }
        live = exchange;
        assertTrue(live.openOrderCount() > 0, "the scenario must leave open orders");
        if (config.fillsAgainstReference("AAPL")) {
            assertTrue(outsideFills > 1, "the scenario must fill against the outside market: " + outsideFills);
        }
        assertEquals(1, reports.size());
    }

    private void randomOrders(int n) {
        for (int i = 0; i < n; i++) {
            if (rnd.nextInt(6) == 0) {
                int s = rnd.nextInt(SYMBOLS.length);
                long bid = MID[s] + (rnd.nextInt(41) - 20) * Money.CENT;
                quote(SYMBOLS[s], rnd.nextBoolean() ? "venue1" : "venue2", bid, bid + (1 + rnd.nextInt(3)) * Money.CENT,
                        1 + rnd.nextInt(100));
                continue;
            }
            if (rnd.nextInt(8) == 0 && exchange.lastSeq() > 0) {
                cancel(1 + rnd.nextInt(ACCOUNTS), 1 + rnd.nextInt(Math.max(1, clientIds)));
                continue;
            }
            int s = rnd.nextInt(SYMBOLS.length);
            int t = rnd.nextInt(10);
            TimeInForce tif = t < 5 ? TimeInForce.DAY : t < 8 ? TimeInForce.GTC : t < 9 ? TimeInForce.IOC : TimeInForce.FOK;
            place(1 + rnd.nextInt(ACCOUNTS), SYMBOLS[s], rnd.nextBoolean() ? Side.BUY : Side.SELL, 1 + rnd.nextInt(200),
                    MID[s] + (rnd.nextInt(81) - 40) * Money.CENT, tif);
        }
    }

    private long place(long account, String symbol, Side side, long qty, long priceTicks, TimeInForce tif) {
        Command c = command(CommandType.PLACE_ORDER);
        c.accountId = account;
        c.clientOrderId = "c-" + clientIds++;
        c.symbol = symbol;
        c.side = side;
        c.qty = qty;
        c.priceTicks = priceTicks;
        c.timeInForce = tif;
        c.selfTradePrevention = SelfTradePrevention.DEFAULT;
        apply(c);
        return c.order.orderId;
    }

    /** A venue's quote, fresh for 20 ms to 2 s (the scenario's clock moves 1 to 51 ms a command). */
    private void quote(String symbol, String venue, long bid, long ask, long size) {
        Command c = command(CommandType.REFERENCE_QUOTE);
        c.symbol = symbol;
        c.venue = venue;
        c.bidPriceTicks = bid;
        c.bidQty = size;
        c.askPriceTicks = ask;
        c.askQty = size + rnd.nextInt(50);
        c.lastPriceTicks = rnd.nextBoolean() ? 0 : bid;
        c.staleAfterNanos = (20 + rnd.nextInt(1_980)) * 1_000_000L;
        apply(c);
    }

    private void cancel(long account, long orderId) {
        Command c = command(CommandType.CANCEL_ORDER);
        c.accountId = account;
        c.orderId = orderId;
        apply(c);
    }

    private void transfer(CommandType type, long account, String asset, long amount) {
        Command c = command(type);
        c.accountId = account;
        c.asset = asset;
        c.amount = amount;
        c.transferId = "tr-" + transfers++;
        apply(c);
    }

    private void sessionOpen(LocalDate date) {
        Command c = command(CommandType.SESSION_OPEN);
        c.sessionDate = date.toEpochDay();
        c.sessionClosesAtNanos = (date.toEpochDay() * 86_400L + 21 * 3_600L) * 1_000_000_000L;
        apply(c);
        assertEquals(ResultCode.OK, c.result);
    }

    /** Closes the session and writes its report files as the exchange does. */
    private void sessionClose() {
        Command c = command(CommandType.SESSION_CLOSE);
        apply(c);
        ReconciliationReport r = (ReconciliationReport) c.queryResult;
        LocalDate date = LocalDate.ofEpochDay(r.sessionDate());
        reports.put(date, r);
        try {
            Path dir = dataDir.resolve(ReportFiles.DIRECTORY);
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("eod-" + date + ".json"), ReportFormat.toJson(r), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("eod-" + date + ".csv"), ReportFormat.toCsv(r), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Command command(CommandType type) {
        Command c = new Command();
        c.type = type;
        clock += 1_000_000L + rnd.nextInt(50_000_000);
        c.timestampNanos = clock;
        return c;
    }

    /** As the pipeline: journal the command at the engine's next seq, then apply it with events to the events queue. */
    private void apply(Command c) {
        long seq = exchange.lastSeq() + 1;
        journal.append(c, seq);
        exchange.apply(c, e -> {
            events.onEvent(e);
            if (e.type == EventType.TRADE_EXECUTED && e.venue != null) {
                outsideFills++;
            }
        });
        assertEquals(seq, c.seq);
        Command copy = new Command();
        copy.copyInputFrom(c);
        copy.seq = seq;
        journaled.add(copy);
        if (journaled.size() % 8 == 0) {
            journal.endOfBatch();
        }
    }

    /** A fresh exchange that applied only the first {@code n} journaled commands. */
    Exchange replayFirst(long n) {
        Exchange x = new Exchange(config);
        for (int i = 0; i < n && i < journaled.size(); i++) {
            Command c = new Command();
            c.copyInputFrom(journaled.get(i));
            c.seq = 0;
            x.apply(c, e -> { });
        }
        return x;
    }

    int orderCount() {
        return clientIds;
    }
}
