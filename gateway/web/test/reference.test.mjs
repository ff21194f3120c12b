// The outside market's reference beside the book (reference.js) and the tape's venue column
// (tape.js), under node's test runner with a minimal stand-in for the DOM calls they make.
// Run by the gateway's build (exec-maven-plugin, test phase): node --test gateway/web/test/
import { test } from 'node:test';
import assert from 'node:assert/strict';

class FakeElement {
  constructor(tag) {
    this.tag = tag;
    this.children = [];
    this.textContent = '';
    this.className = '';
    this.hidden = false;
  }
  append(...c) { this.children.push(...c); }
  prepend(c) { this.children.unshift(c); }
  get rows() { return this.children; }
  get lastElementChild() { return this.children[this.children.length - 1]; }
  replaceChildren() { this.children = []; }
}
globalThis.document = { createElement: (tag) => new FakeElement(tag) };
globalThis.Node = FakeElement;
const timers = [];
globalThis.setInterval = (f) => { timers.push(f); return timers.length; };
globalThis.clearInterval = (id) => { timers[id - 1] = null; };

const { ReferenceView, sideText, ageText } = await import('../../src/main/resources/web/js/reference.js');
const { Tape } = await import('../../src/main/resources/web/js/tape.js');

const none = { reference_bid: null, reference_bid_qty: null, reference_bid_venue: null, reference_bid_age_ms: null,
  reference_ask: null, reference_ask_qty: null, reference_ask_venue: null, reference_ask_age_ms: null };
const quoted = { symbol: 'AAPL', seq: 7, reference_bid: '189.95', reference_bid_qty: 100, reference_bid_venue: 'venue2',
  reference_bid_age_ms: 400, reference_ask: '190.10', reference_ask_qty: 200, reference_ask_venue: 'venue1',
  reference_ask_age_ms: 12500 };

test('the age reads in tenths of a second, then seconds, then minutes', () => {
  assert.equal(ageText(0), '0.0 s');
  assert.equal(ageText(400), '0.4 s');
  assert.equal(ageText(9999), '10.0 s');
  assert.equal(ageText(12500), '12 s');
  assert.equal(ageText(200000), '3 min');
});

test('a side shows price, size, venue and the age counted on since the ticker came', () => {
  assert.equal(sideText(quoted, 'bid', 0), 'bid 189.95 × 100 · venue2 · 0.4 s');
  assert.equal(sideText(quoted, 'bid', 1000), 'bid 189.95 × 100 · venue2 · 1.4 s');
  assert.equal(sideText(quoted, 'ask', 0), 'ask 190.10 × 200 · venue1 · 12 s');
  assert.equal(sideText({ symbol: 'AAPL', ...none }, 'bid', 0), null);
});

test('shown for the selected symbol only, hidden once no quote is fresh, and an older ticker is ignored', () => {
  let now = 1000;
  const box = new FakeElement('p');
  const bid = new FakeElement('span');
  const ask = new FakeElement('span');
  const view = new ReferenceView(box, bid, ask, () => now);
  view.select('AAPL');
  assert.equal(box.hidden, true, 'nothing known yet');
  view.ticker({ ...quoted, symbol: 'MSFT' });
  assert.equal(box.hidden, true, 'another symbol');
  view.ticker(quoted);
  assert.equal(box.hidden, false);
  assert.equal(bid.textContent, 'bid 189.95 × 100 · venue2 · 0.4 s');
  assert.equal(ask.textContent, 'ask 190.10 × 200 · venue1 · 12 s');
  now += 2000;
  timers.filter(Boolean).forEach((f) => f());
  assert.equal(bid.textContent, 'bid 189.95 × 100 · venue2 · 2.4 s', 'the age counts on');
  view.ticker({ ...quoted, seq: 6, reference_bid: '1.00' });
  assert.equal(bid.textContent, 'bid 189.95 × 100 · venue2 · 2.4 s', 'an older ticker changes nothing');
  view.ticker({ symbol: 'AAPL', seq: 7, ...none });   // the clock's message: same seq, quotes gone stale
  assert.equal(box.hidden, true);
  assert.equal(bid.textContent, '');
  assert.equal(timers.filter(Boolean).length, 0, 'no timer while hidden');
  view.select('MSFT');
  assert.equal(box.hidden, false, 'MSFT has its quotes');
});

test('the tape names the venue of a fill against the outside market and leaves ours blank', () => {
  const body = new FakeElement('tbody');
  const tape = new Tape(body);
  tape.snapshot([
    { trade_id: 2, price: '189.90', qty: 25, taker_side: 'sell', executed_at: '2026-01-05T14:30:01Z', venue: 'venue1' },
    { trade_id: 1, price: '190.00', qty: 40, taker_side: 'buy', executed_at: '2026-01-05T14:30:00Z', venue: null },
  ]);
  const cells = (r) => r.children.map((c) => c.textContent);
  assert.equal(body.rows.length, 2);
  assert.deepEqual(cells(body.rows[0]).slice(1), ['189.90', '25', 'venue1']);
  assert.equal(body.rows[0].className, 'trade sell external');
  assert.deepEqual(cells(body.rows[1]).slice(1), ['190.00', '40', '']);
  assert.equal(body.rows[1].className, 'trade buy');
});
