// The trades tape of one symbol, newest first: the REST list, then each trade of the stream
// (trade ids only grow, so a trade at or below the newest shown is one the snapshot had). A fill
// against the outside market names its venue (the quote source); a trade in our book has none.

import { clock, row } from './format.js';

const ROWS = 60;

export class Tape {
  constructor(body) {
    this.body = body;
    this.newest = 0;
  }

  snapshot(trades) {
    this.body.replaceChildren();
    this.newest = 0;
    // REST lists newest first; add oldest first so each lands on top
    for (let i = trades.length - 1; i >= 0; i--) this.add(trades[i]);
  }

  add(t) {
    if (t.trade_id <= this.newest) return;
    this.newest = t.trade_id;
    const side = t.taker_side === 'buy' ? 'buy' : 'sell';
    this.body.prepend(row([clock(t.executed_at), [t.price, side], String(t.qty), [t.venue ?? '', 'venue']],
      t.venue ? `trade ${side} external` : `trade ${side}`));
    while (this.body.rows.length > ROWS) this.body.lastElementChild.remove();
  }
}
