// Unmodified Binance client libraries pointed at the exchange's Binance-compatible surface
// (DESIGN section 4): ccxt (REST, and ccxt.pro's WebSocket watchers) and the official
// @binance/connector (Spot REST, WebsocketStream). Run by BinanceClientsCompatTest:
//
//   node clients.mjs <port> <SYMBOL>
//
// Prints one JSON object per line on stdout:
//   {"phase":"rest",...}   what every REST call returned (summarised; the test checks it)
//   {"phase":"ready"}      both local order books are live (ccxt.pro watchOrderBook, and the
//                          connector's diffBookDepth stream kept with Binance's documented procedure)
// then reads one line on stdin, the sequence number of a marker order placed after the flow, and
// prints {"phase":"books",...} once both local books reflect it, and exits 0. Any failure prints
// {"phase":"error","error":"..."} and exits 1. Only base URLs and documented options are set:
// nothing in either library is patched.
import ccxt from 'ccxt';
import connector from '@binance/connector';
import readline from 'node:readline';

const { Spot, WebsocketStream } = connector;
const port = Number(process.argv[2]);
const SYMBOL = process.argv[3] || 'AAPL';
const base = `http://127.0.0.1:${port}`;
const wsBase = `ws://127.0.0.1:${port}`;
const UNIFIED = `${SYMBOL}/USD`;
const silent = { log() {}, info() {}, warn() {}, error(...a) { process.stderr.write(a.join(' ') + '\n'); }, debug() {} };

function emit(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

function fail(where, e) {
  emit({ phase: 'error', error: `${where}: ${e && e.stack ? e.stack : e}` });
  process.exit(1);
}

// ccxt's binance with only the spot REST and WebSocket base URLs replaced (ccxt.pro is in the
// same package); spot markets only, no currencies endpoint (that one needs an API key on Binance).
function ccxtExchange(ClassName) {
  return new ClassName({
    urls: { api: { public: `${base}/api/v3`, private: `${base}/api/v3`, v1: `${base}/api/v1`, ws: { spot: `${wsBase}/ws` } } },
    options: { fetchMarkets: { types: ['spot'] }, fetchCurrencies: false },
    enableRateLimit: false,
  });
}

const levels = (side) => side.map(([p, q]) => [String(p), String(q)]);

async function ccxtRest() {
  const ex = ccxtExchange(ccxt.binance);
  const out = {};
  const markets = await ex.loadMarkets();
  const m = markets[UNIFIED];
  out.markets = Object.keys(markets).sort();
  out.market = m && { id: m.id, base: m.base, quote: m.quote, spot: m.spot, active: m.active,
    pricePrecision: m.precision.price, amountPrecision: m.precision.amount,
    minAmount: m.limits.amount.min, maxAmount: m.limits.amount.max, minPrice: m.limits.price.min };
  const book = await ex.fetchOrderBook(UNIFIED, 100);
  out.orderBook = { nonce: book.nonce, bids: levels(book.bids), asks: levels(book.asks) };
  const trades = await ex.fetchTrades(UNIFIED, undefined, 50);
  out.trades = trades.map(t => ({ id: t.id, price: t.price, amount: t.amount, side: t.side, timestamp: t.timestamp }));
  for (const tf of ['1s', '1m', '5m']) {
    const candles = await ex.fetchOHLCV(UNIFIED, tf, undefined, 100);
    out[`ohlcv_${tf}`] = candles;
  }
  const since = out.ohlcv_1s.length ? out.ohlcv_1s[0][0] : Date.now() - 60_000;
  out.ohlcv_1s_since = await ex.fetchOHLCV(UNIFIED, '1s', since, 2);
  const t = await ex.fetchTicker(UNIFIED);
  out.ticker = { symbol: t.symbol, last: t.last, bid: t.bid, ask: t.ask, high: t.high, low: t.low, open: t.open,
    baseVolume: t.baseVolume, quoteVolume: t.quoteVolume, vwap: t.vwap, timestamp: t.timestamp };
  const ts = await ex.fetchTickers([UNIFIED]);
  out.tickers = Object.keys(ts);
  const lp = await ex.fetchLastPrices([UNIFIED]);
  out.lastPrices = Object.fromEntries(Object.entries(lp).map(([k, v]) => [k, v.price]));
  const bt = await ex.fetchBidsAsks([UNIFIED]);
  out.bidsAsks = Object.fromEntries(Object.entries(bt).map(([k, v]) => [k, { bid: v.bid, ask: v.ask }]));
  out.time = await ex.fetchTime();
  return out;
}

async function connectorRest() {
  const client = new Spot('', '', { baseURL: base, logger: silent });
  const out = {};
  const info = (await client.exchangeInfo()).data;
  out.symbols = info.symbols.map(s => s.symbol).sort();
  const depth = await client.depth(SYMBOL, { limit: 100 });
  out.depth = { lastUpdateId: depth.data.lastUpdateId, bids: depth.data.bids, asks: depth.data.asks,
    usedWeight: depth.headers['x-mbx-used-weight-1m'] ?? null };
  out.trades = (await client.trades(SYMBOL, { limit: 50 })).data;
  out.aggTrades = (await client.aggTrades(SYMBOL, { limit: 50 })).data;
  out.klines_1m = (await client.klines(SYMBOL, '1m', { limit: 10 })).data;
  out.klines_1s = (await client.klines(SYMBOL, '1s', { limit: 10 })).data;
  out.uiKlines_1m = (await client.uiklines(SYMBOL, '1m', { limit: 10 })).data;
  out.ticker24hr = (await client.ticker24hr(SYMBOL)).data;
  out.ticker24hrAll = (await client.ticker24hr()).data;
  out.tickerPrice = (await client.tickerPrice(SYMBOL)).data;
  out.bookTicker = (await client.bookTicker(SYMBOL)).data;
  out.ping = (await client.ping()).data;
  out.time = (await client.time()).data;
  try {
    await client.depth('NOPE');
    out.badSymbol = null;
  } catch (e) {
    out.badSymbol = { status: e.response && e.response.status, data: e.response && e.response.data };
  }
  return out;
}

// Binance's "how to manage a local order book correctly", on the connector's diffBookDepth stream:
// buffer events, fetch the depth snapshot, drop u <= lastUpdateId, the first applied event must
// straddle lastUpdateId+1, then every U must be the previous u + 1 (else: a gap, start again).
function connectorLocalBook(client) {
  const state = { book: null, lastUpdateId: -1, buffer: [], events: 0, gaps: 0, trades: 0, klines: 0, bookTickers: 0, tickers: 0, problems: [] };
  const apply = (bids, asks) => {
    for (const [p, q] of bids) { if (Number(q) === 0) state.book.bids.delete(p); else state.book.bids.set(p, q); }
    for (const [p, q] of asks) { if (Number(q) === 0) state.book.asks.delete(p); else state.book.asks.set(p, q); }
  };
  const onDepth = (e) => {
    state.events++;
    if (state.book === null) { state.buffer.push(e); return; }
    if (e.u <= state.lastUpdateId) return;
    if (!state.synced) {
      if (!(e.U <= state.lastUpdateId + 1 && e.u >= state.lastUpdateId + 1)) {
        state.problems.push(`first event ${e.U}..${e.u} does not straddle ${state.lastUpdateId + 1}`);
      }
      state.synced = true;
    } else if (e.U !== state.lastUpdateId + 1) {
      state.gaps++;
      state.problems.push(`gap: U=${e.U} after u=${state.lastUpdateId}`);
    }
    apply(e.b, e.a);
    state.lastUpdateId = e.u;
  };
  const ws = new WebsocketStream({
    wsURL: wsBase, combinedStreams: true, logger: silent,
    callbacks: {
      open: () => { state.open = true; },
      message: (text) => {
        const { stream, data } = JSON.parse(text);
        if (stream === undefined) return; // a SUBSCRIBE answer
        if (data.e === 'depthUpdate') onDepth(data);
        else if (data.e === 'trade') state.trades++;
        else if (data.e === 'kline') state.klines++;
        else if (data.e === '24hrTicker') state.tickers++;
        else if (stream.endsWith('@bookTicker')) state.bookTickers++;
      },
    },
  });
  const s = SYMBOL.toLowerCase();
  ws.subscribe([`${s}@depth@100ms`, `${s}@trade`, `${s}@kline_1s`, `${s}@bookTicker`, `${s}@ticker`]);
  state.ws = ws;
  state.snapshot = async () => {
    const d = (await client.depth(SYMBOL, { limit: 1000 })).data;
    state.book = { bids: new Map(d.bids), asks: new Map(d.asks) };
    state.lastUpdateId = d.lastUpdateId;
    const buffered = state.buffer;
    state.buffer = [];
    for (const e of buffered) { state.events--; onDepth(e); }
  };
  return state;
}

const sortLevels = (m, desc) => [...m.entries()].sort((a, b) => desc ? Number(b[0]) - Number(a[0]) : Number(a[0]) - Number(b[0]));

async function main() {
  let rest;
  try {
    rest = { ccxt: await ccxtRest(), connector: await connectorRest() };
  } catch (e) {
    fail('rest', e);
  }
  emit({ phase: 'rest', ...rest });

  const pro = ccxtExchange(ccxt.pro.binance);
  const client = new Spot('', '', { baseURL: base, logger: silent });
  const local = connectorLocalBook(client);
  const watched = { orderBook: null, trades: 0, ohlcv: 0, ticker: 0, errors: [] };
  let running = true;
  const loop = async (name, fn) => {
    while (running) {
      try { await fn(); } catch (e) { if (running) { watched.errors.push(`${name}: ${e}`); await new Promise(r => setTimeout(r, 200)); } }
    }
  };
  try {
    await pro.loadHttpProxyAgent(); // ccxt's own step for a plain ws:// URL (it asks for it by name)
    await pro.loadMarkets();
    watched.orderBook = await pro.watchOrderBook(UNIFIED);
  } catch (e) {
    fail('ccxt.pro watchOrderBook', e);
  }
  loop('watchOrderBook', async () => { watched.orderBook = await pro.watchOrderBook(UNIFIED); });
  loop('watchTrades', async () => { watched.trades += (await pro.watchTrades(UNIFIED)).length; });
  loop('watchOHLCV', async () => { await pro.watchOHLCV(UNIFIED, '1m'); watched.ohlcv++; });
  loop('watchTicker', async () => { await pro.watchTicker(UNIFIED); watched.ticker++; });
  // the connector's stream is open (and subscribed) before its snapshot, as the procedure asks
  for (let i = 0; i < 100 && !local.open; i++) await new Promise(r => setTimeout(r, 50));
  await new Promise(r => setTimeout(r, 200));
  try {
    await local.snapshot();
  } catch (e) {
    fail('connector depth snapshot', e);
  }
  emit({ phase: 'ready' });

  const rl = readline.createInterface({ input: process.stdin });
  const marker = await new Promise(resolve => rl.once('line', line => resolve(Number(line.trim()))));
  const deadline = Date.now() + 30_000;
  while ((watched.orderBook.nonce < marker || local.lastUpdateId < marker) && Date.now() < deadline) {
    await new Promise(r => setTimeout(r, 50));
  }
  running = false;
  const ob = watched.orderBook;
  emit({
    phase: 'books',
    marker,
    ccxt: { nonce: ob.nonce, bids: levels(ob.bids), asks: levels(ob.asks), trades: watched.trades, ohlcv: watched.ohlcv,
      ticker: watched.ticker, errors: watched.errors },
    connector: { lastUpdateId: local.lastUpdateId, events: local.events, gaps: local.gaps, problems: local.problems,
      bids: sortLevels(local.book.bids, true), asks: sortLevels(local.book.asks, false),
      trades: local.trades, klines: local.klines, bookTickers: local.bookTickers, tickers: local.tickers },
  });
  rl.close();
  local.ws.disconnect();
  await pro.close();
  process.exit(0);
}

main().catch(e => fail('main', e));
