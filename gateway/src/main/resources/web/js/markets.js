// The symbol picker: one button per listed symbol with its last price and change since the
// previous close (or, on a first day, since the open), kept live by the ticker streams.

import { el, changePct } from './format.js';

export class Markets {
  constructor(nav, onPick) {
    this.nav = nav;
    this.onPick = onPick;
    this.buttons = new Map();
    this.selected = null;
  }

  /** Draws the buttons for {@code /v1/markets}'s list. */
  list(markets) {
    this.nav.replaceChildren();
    for (const m of markets) {
      const b = el('button', 'market');
      b.type = 'button';
      b.dataset.symbol = m.symbol;
      b.setAttribute('aria-pressed', 'false');
      const last = el('span', 'last num', m.reference_price ?? '—');
      const change = el('span', 'change num');
      b.append(el('strong', null, m.symbol), last, change);
      b.addEventListener('click', () => this.onPick(m.symbol));
      this.nav.append(b);
      this.buttons.set(m.symbol, { b, last, change });
    }
  }

  select(symbol) {
    this.selected = symbol;
    for (const [s, { b }] of this.buttons) b.setAttribute('aria-pressed', String(s === symbol));
  }

  /** A ticker (REST or stream). */
  ticker(t) {
    const m = this.buttons.get(t.symbol);
    if (!m) return;
    if (t.last) m.last.textContent = t.last;
    const ref = t.prev_close ?? t.open;
    const pct = changePct(t.last, ref);
    m.change.textContent = pct;
    m.change.className = `change num ${pct.startsWith('-') ? 'sell' : pct ? 'buy' : ''}`;
  }
}
