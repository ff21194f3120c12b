// Wires the page: one stream, the symbol picker, and the panels of the chosen symbol. On every
// (re)connect and symbol change the panels take REST snapshots after their streams are
// subscribed, so nothing published between the two is lost (the book also checks seq gaps).

import { getJson } from './api.js';
import { Stream } from './stream.js';
import { Markets } from './markets.js';
import { Book } from './book.js';
import { Tape } from './tape.js';
import { CandleChart } from './chart.js';
import { Account } from './account.js';
import { ReferenceView } from './reference.js';
import { clock } from './format.js';

const $ = (id) => document.getElementById(id);
const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/v1/stream`;

const state = { symbol: null, interval: '1m', symbols: [] };

const stream = new Stream(wsUrl, {
  onMessage,
  onOpen: () => { if (state.symbol) resync(); },
  onStatus: (s, text) => { const c = $('conn'); c.className = `badge conn ${s}`; c.textContent = text; },
  onError: () => {},
});
const markets = new Markets($('markets'), (s) => selectSymbol(s));
const book = new Book({ asks: $('asks'), bids: $('bids'), spread: $('spread'), seqLabel: $('book-seq'),
  onPick: (price) => account.usePrice(price), onGap: () => resyncBook() });
const tape = new Tape($('tape'));
const reference = new ReferenceView($('reference'), $('ref-bid'), $('ref-ask'));
const chart = new CandleChart($('chart'), $('legend'));
const account = new Account(stream, () => state.symbol);

function topics(symbol, interval) {
  return [`${symbol}@depth`, `${symbol}@trade`, `${symbol}@kline_${interval}`];
}

function onMessage(name, msg) {
  const d = msg.data;
  if (name === 'orders') {
    account.onOrderUpdate(d);
    return;
  }
  if (name.endsWith('@ticker')) {
    markets.ticker(d);
    reference.ticker(d);
    sessionFromTicker(d);
    return;
  }
  if (!name.startsWith(`${state.symbol}@`)) return; // a late message of a symbol just left
  if (name.endsWith('@depth')) book.diff(d);
  else if (name.endsWith('@trade')) tape.add(d);
  else if (name === `${state.symbol}@kline_${state.interval}`) chart.update(d);
}

async function selectSymbol(symbol) {
  if (symbol === state.symbol) return;
  const old = state.symbol;
  state.symbol = symbol;
  location.hash = symbol;
  markets.select(symbol);
  reference.select(symbol);
  $('chart-symbol').textContent = symbol;
  $('order-symbol').textContent = symbol; // orders go to the symbol on show
  if (old) await stream.unsubscribe(topics(old, state.interval));
  await resync();
}

async function selectInterval(interval) {
  if (interval === state.interval) return;
  for (const b of document.querySelectorAll('[data-interval]')) b.setAttribute('aria-pressed', String(b.dataset.interval === interval));
  await stream.unsubscribe([`${state.symbol}@kline_${state.interval}`]);
  state.interval = interval;
  await stream.subscribe([`${state.symbol}@kline_${interval}`]).catch(() => {});
  await loadCandles();
}

/** Subscribes the symbol's streams, then takes the snapshots they continue. */
async function resync() {
  const symbol = state.symbol;
  book.begin();
  await stream.subscribe(topics(symbol, state.interval)).catch(() => {});
  await Promise.all([resyncBook(), loadTrades(), loadCandles(), loadTickers(), loadSession()]);
}

async function resyncBook() {
  book.begin();
  try {
    book.snapshot(await getJson(`/v1/markets/${state.symbol}/book?depth=100`));
  } catch (e) {
    setTimeout(resyncBook, 1000);
  }
}

async function loadTrades() {
  const r = await getJson(`/v1/markets/${state.symbol}/trades?limit=60`).catch(() => null);
  if (r) tape.snapshot(r.trades);
}

async function loadCandles() {
  const r = await getJson(`/v1/markets/${state.symbol}/candles?interval=${state.interval}&limit=500`).catch(() => null);
  if (r) chart.history(state.interval, r.candles);
}

async function loadTickers() {
  for (const s of state.symbols) {
    getJson(`/v1/markets/${s}/ticker`).then((t) => { markets.ticker(t); reference.ticker(t); }).catch(() => {});
  }
}

let sessionOpen = null;

async function loadSession() {
  const s = await getJson('/v1/session').catch(() => null);
  if (!s) return;
  sessionOpen = s.state === 'open';
  const b = $('session');
  b.className = `badge ${s.state}`;
  b.textContent = sessionOpen
    ? `open${s.closes_at ? `, closes ${when(s.closes_at)}` : ''}`
    : `closed${s.opens_at ? `, opens ${when(s.opens_at)}` : ''}`;
}

function sessionFromTicker(t) {
  const open = t.session_state === 'open';
  if (sessionOpen !== null && open !== sessionOpen) loadSession();
}

function when(iso) {
  const d = new Date(iso);
  const sameDay = d.toDateString() === new Date().toDateString();
  return sameDay ? clock(iso) : d.toLocaleString([], { weekday: 'short', hour: '2-digit', minute: '2-digit', hour12: false });
}

async function start() {
  for (const b of document.querySelectorAll('[data-interval]')) b.addEventListener('click', () => selectInterval(b.dataset.interval));
  const m = await getJson('/v1/markets');
  state.symbols = m.markets.map((x) => x.symbol);
  markets.list(m.markets);
  await stream.subscribe(state.symbols.map((s) => `${s}@ticker`));
  stream.start();
  const wanted = location.hash.slice(1);
  await selectSymbol(state.symbols.includes(wanted) ? wanted : state.symbols[0]);
  account.start();
  setInterval(loadSession, 30000);
}

start();
