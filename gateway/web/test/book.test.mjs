// The order book's join of a REST snapshot and stream diffs (gateway/src/main/resources/web/js/book.js),
// under node's test runner with a minimal stand-in for the few DOM calls the ladder makes.
// Run by the gateway's build (exec-maven-plugin, test phase): node --test gateway/web/test/
import { test } from 'node:test';
import assert from 'node:assert/strict';

class FakeElement {
  constructor(tag) {
    this.tag = tag;
    this.children = [];
    this.dataset = {};
    this.textContent = '';
    this.className = '';
    this.style = { setProperty: () => {} };
    this.classList = { add: () => {}, remove: () => {} };
  }
  append(...c) { this.children.push(...c); }
  addEventListener() {}
  removeAttribute() {}
}
globalThis.document = { createElement: (tag) => new FakeElement(tag) };
let frames = [];
globalThis.requestAnimationFrame = (f) => { frames.push(f); return frames.length; };
const flush = () => { const f = frames; frames = []; f.forEach((x) => x()); };

const { Book } = await import('../../src/main/resources/web/js/book.js');

function newBook() {
  const gaps = [];
  const parts = { asks: new FakeElement('tbody'), bids: new FakeElement('tbody'), spread: new FakeElement('td'),
    seqLabel: new FakeElement('span'), onPick: () => {}, onGap: () => gaps.push(1) };
  return { book: new Book(parts), parts, gaps };
}

/** The ladder as shown: asks top to bottom, then bids, as "price qty orders". */
function shown(parts) {
  const rows = (body) => body.children.filter((r) => r.dataset.price)
    .map((r) => r.children.map((c) => c.textContent).join(' '));
  return [...rows(parts.asks), '|', ...rows(parts.bids)];
}

const lvl = (price, qty, orders = 1) => ({ price, qty, orders });

test('a snapshot then newer diffs; diffs the snapshot already has are skipped', () => {
  const { book, parts, gaps } = newBook();
  book.begin();
  book.diff({ first_seq: 1, seq: 4, bids: [lvl('99.00', 5)], asks: [] });       // before the snapshot: in it
  book.diff({ first_seq: 5, seq: 7, bids: [], asks: [lvl('101.00', 3, 2)] });  // newer: applied on top
  book.snapshot({ seq: 5, bids: [lvl('99.00', 5), lvl('98.50', 10)], asks: [lvl('101.00', 1)] });
  book.diff({ first_seq: 8, seq: 9, bids: [lvl('99.00', 0)], asks: [lvl('100.50', 4)] });
  flush();
  assert.deepEqual(shown(parts), ['101.00 3 2', '100.50 4 1', '|', '98.50 10 1']);
  assert.equal(parts.spread.textContent, 'spread 2.00');
  assert.equal(parts.seqLabel.textContent, 'seq 9');
  assert.equal(gaps.length, 0);
});

test('a missed diff asks for a resync and stops applying', () => {
  const { book, parts, gaps } = newBook();
  book.snapshot({ seq: 10, bids: [lvl('99.00', 5)], asks: [] });
  book.diff({ first_seq: 9, seq: 12, bids: [lvl('99.00', 6)], asks: [] });
  book.diff({ first_seq: 15, seq: 16, bids: [lvl('99.00', 1)], asks: [] });     // 13..14 missing
  book.diff({ first_seq: 17, seq: 18, bids: [lvl('97.00', 1)], asks: [] });     // buffered until resynced
  flush();
  assert.equal(gaps.length, 1);
  assert.deepEqual(shown(parts), ['|', '99.00 6 1']);
  book.snapshot({ seq: 16, bids: [lvl('99.00', 1)], asks: [] });
  flush();
  assert.deepEqual(shown(parts), ['|', '99.00 1 1', '97.00 1 1']);
});

test('a first diff that starts after the snapshot is a gap', () => {
  const { book, gaps } = newBook();
  book.snapshot({ seq: 10, bids: [], asks: [] });
  book.diff({ first_seq: 12, seq: 13, bids: [lvl('1.00', 1)], asks: [] });
  assert.equal(gaps.length, 1);
});

test('levels sort by price, not as text, and at most twelve a side are drawn', () => {
  const { book, parts } = newBook();
  const asks = [];
  for (let i = 0; i < 15; i++) asks.push(lvl(`${9 + i}.00`, i + 1));
  book.snapshot({ seq: 1, bids: [lvl('8.50', 1)], asks });
  flush();
  const s = shown(parts);
  assert.equal(s.indexOf('|'), 12);
  assert.equal(s[11], '9.00 1 1');   // best ask next to the spread
  assert.equal(s[0], '20.00 12 1');  // the twelfth, not "10.00"..."14.00" as text would sort
});
