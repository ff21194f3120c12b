// The order book ladder of one symbol: a REST snapshot joined with the depth diffs of the
// stream (levels at their new totals, qty 0 = gone). Diffs are checked for gaps
// (first_seq = previous seq + 1); a gap asks for a resync. Rendering is batched to one
// animation frame however many diffs arrive, and touches only the cells whose text changed.

import { el, decimalDiff } from './format.js';

const LEVELS = 12;

export class Book {
  constructor({ asks, bids, spread, seqLabel, onPick, onGap }) {
    this.asksBody = asks;
    this.bidsBody = bids;
    this.spread = spread;
    this.seqLabel = seqLabel;
    this.onGap = onGap;
    this.asks = new Map();
    this.bids = new Map();
    this.seq = 0;         // what the ladder reflects
    this.lastDiff = 0;    // seq of the last diff applied, 0 before the first
    this.synced = false;
    this.buffer = [];
    this.frame = 0;
    this.askRows = makeRows(asks, 'ask', onPick);
    this.bidRows = makeRows(bids, 'bid', onPick);
  }

  /** Starts a resync: diffs are buffered until {@link #snapshot} arrives. */
  begin() {
    this.synced = false;
    this.buffer = [];
  }

  /** The REST book; buffered diffs newer than it are applied on top. */
  snapshot(book) {
    this.asks = levelsOf(book.asks);
    this.bids = levelsOf(book.bids);
    this.seq = book.seq;
    this.lastDiff = 0;
    this.synced = true;
    const buffered = this.buffer;
    this.buffer = [];
    for (const d of buffered) this.diff(d);
    this.schedule();
  }

  /** A depth message's data. */
  diff(d) {
    if (!this.synced) {
      this.buffer.push(d);
      return;
    }
    if (d.first_seq === undefined) { // a full book sent as the stream's snapshot
      this.snapshot(d);
      return;
    }
    if (d.seq <= this.seq) return; // already in the snapshot
    const expected = this.lastDiff === 0 ? d.first_seq <= this.seq + 1 : d.first_seq === this.lastDiff + 1;
    if (!expected) {
      this.synced = false;
      this.onGap();
      return;
    }
    apply(this.asks, d.asks);
    apply(this.bids, d.bids);
    this.seq = d.seq;
    this.lastDiff = d.seq;
    this.schedule();
  }

  schedule() {
    if (!this.frame) this.frame = requestAnimationFrame(() => { this.frame = 0; this.render(); });
  }

  render() {
    const asks = [...this.asks.values()].sort((a, b) => a.n - b.n).slice(0, LEVELS);
    const bids = [...this.bids.values()].sort((a, b) => b.n - a.n).slice(0, LEVELS);
    const deepest = Math.max(1, ...asks.map((l) => l.qty), ...bids.map((l) => l.qty));
    // asks: best at the bottom, next to the spread
    fill(this.askRows, asks.slice().reverse(), deepest, LEVELS - asks.length);
    fill(this.bidRows, bids, deepest, 0);
    const bestAsk = asks[0], bestBid = bids[0];
    this.spread.textContent = bestAsk && bestBid
      ? `spread ${decimalDiff(bestAsk.price, bestBid.price)}`
      : 'spread —';
    this.seqLabel.textContent = `seq ${this.seq}`;
  }
}

function levelsOf(list) {
  const m = new Map();
  for (const l of list) m.set(l.price, { price: l.price, n: Number(l.price), qty: l.qty, orders: l.orders });
  return m;
}

function apply(side, changes) {
  for (const l of changes) {
    if (l.qty === 0) side.delete(l.price);
    else side.set(l.price, { price: l.price, n: Number(l.price), qty: l.qty, orders: l.orders });
  }
}

function makeRows(body, side, onPick) {
  const rows = [];
  for (let i = 0; i < LEVELS; i++) {
    const tr = el('tr', `level ${side} empty`);
    const cells = [el('td', 'price'), el('td', 'qty'), el('td', 'orders')];
    tr.append(...cells);
    body.append(tr);
    rows.push({ tr, cells, text: ['', '', ''] });
  }
  const pick = (e) => {
    const tr = e.target.closest('tr');
    if (tr && tr.dataset.price) onPick(tr.dataset.price);
  };
  body.addEventListener('click', pick);
  body.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); pick(e); } });
  return rows;
}

function fill(rows, levels, deepest, offset) {
  rows.forEach((r, i) => {
    const l = levels[i - offset];
    const text = l ? [l.price, String(l.qty), String(l.orders)] : ['', '', ''];
    for (let c = 0; c < 3; c++) {
      if (r.text[c] !== text[c]) {
        r.cells[c].textContent = text[c];
        r.text[c] = text[c];
      }
    }
    if (l) {
      r.tr.dataset.price = l.price;
      r.tr.tabIndex = 0;
      r.tr.classList.remove('empty');
      r.tr.style.setProperty('--depth', `${Math.round((l.qty / deepest) * 100)}%`);
    } else {
      delete r.tr.dataset.price;
      r.tr.removeAttribute('tabindex');
      r.tr.classList.add('empty');
      r.tr.style.setProperty('--depth', '0%');
    }
  });
}
