// The outside market beside the book: the best fresh bid and ask among the quote sources, with
// the venue quoting each and the age of its quote, as the selected symbol's ticker (REST or
// stream) last said; hidden while no venue's quote is fresh. The server decides freshness (and
// sends a ticker when a quote goes stale); between tickers the age counts on from what it said.

const TICK_MS = 1000;

/** "0.4 s" under ten seconds, whole seconds up to a few minutes, then minutes. */
export function ageText(ms) {
  if (ms < 10000) return `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
  if (ms < 180000) return `${Math.floor(ms / 1000)} s`;
  return `${Math.floor(ms / 60000)} min`;
}

/**
 * What one side of a ticker's reference shows, {@code elapsedMs} after the ticker arrived:
 * "bid 189.95 × 100 · venue2 · 0.4 s", or null when the side has no fresh quote.
 */
export function sideText(t, side, elapsedMs) {
  const price = t[`reference_${side}`];
  if (price === null || price === undefined) return null;
  const qty = t[`reference_${side}_qty`];
  const age = t[`reference_${side}_age_ms`] + elapsedMs;
  return `${side} ${price} × ${qty} · ${t[`reference_${side}_venue`]} · ${ageText(age)}`;
}

export class ReferenceView {
  constructor(box, bid, ask, now = () => performance.now()) {
    this.box = box;
    this.bid = bid;
    this.ask = ask;
    this.now = now;
    this.latest = new Map(); // symbol -> { t, at }
    this.symbol = null;
    this.timer = 0;
  }

  /** A ticker of any symbol (REST or stream); the newer seq wins. */
  ticker(t) {
    const had = this.latest.get(t.symbol);
    if (had && had.t.seq > t.seq) return;
    this.latest.set(t.symbol, { t, at: this.now() });
    if (t.symbol === this.symbol) this.render();
  }

  select(symbol) {
    this.symbol = symbol;
    this.render();
  }

  render() {
    const s = this.latest.get(this.symbol);
    const elapsed = s ? this.now() - s.at : 0;
    const bid = s ? sideText(s.t, 'bid', elapsed) : null;
    const ask = s ? sideText(s.t, 'ask', elapsed) : null;
    this.bid.textContent = bid ?? '';
    this.ask.textContent = ask ?? '';
    const shown = bid !== null || ask !== null;
    this.box.hidden = !shown;
    // count the age on while something is shown; stop when nothing is
    if (shown && !this.timer) this.timer = setInterval(() => this.render(), TICK_MS);
    if (!shown && this.timer) { clearInterval(this.timer); this.timer = 0; }
  }
}
