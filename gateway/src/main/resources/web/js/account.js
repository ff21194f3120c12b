// Order entry for one account: the API key (kept in sessionStorage for this tab only, sent only
// in the Authorization header), the order form, open orders with a cancel button each, fills
// and balances. The private orders stream pushes changes; each one (and each of our own
// requests) refreshes the lists from REST, coalesced, so what is shown is the exchange's word.

import { getJson, postJson, deleteJson, ApiError } from './api.js';
import { el, row, clock } from './format.js';

const KEY = 'exchange.apiKey';
const REFRESH_DELAY_MS = 100;

/** Digits go as a JSON integer; anything else as typed, for the exchange to refuse with its code. */
function wholeNumber(text) {
  return /^[0-9]{1,15}$/.test(text) ? Number(text) : text;
}

export class Account {
  constructor(stream, symbolOf) {
    this.stream = stream;
    this.symbolOf = symbolOf;
    this.key = sessionStorage.getItem(KEY);
    this.timer = 0;
    this.$ = (id) => document.getElementById(id);
    this.$('key-form').addEventListener('submit', (e) => { e.preventDefault(); this.useKey(this.$('api-key').value.trim()); });
    this.$('key-forget').addEventListener('click', () => this.forget());
    this.$('order-form').addEventListener('submit', (e) => { e.preventDefault(); this.place(); });
    this.$('open-orders').addEventListener('click', (e) => {
      const b = e.target.closest('button[data-order]');
      if (b) this.cancel(b.dataset.order, b);
    });
    this.enableForm();
  }

  /** Restores a key saved earlier in this tab. */
  start() {
    if (this.key) this.useKey(this.key);
  }

  async useKey(key) {
    if (!key) return;
    this.$('api-key').value = '';
    try {
      const a = await getJson('/v1/account', key);
      this.key = key;
      sessionStorage.setItem(KEY, key);
      this.$('key-status').textContent = `account ${a.account_id}${a.name ? ` (${a.name})` : ''}`;
      this.$('account-name').textContent = a.name ?? '';
      this.balances(a);
      this.enableForm();
      await this.stream.authenticate(key).catch(() => {});
      this.refresh();
    } catch (e) {
      this.$('key-status').textContent = e instanceof ApiError && e.status === 401 ? 'unknown API key' : e.message;
    }
  }

  forget() {
    this.key = null;
    sessionStorage.removeItem(KEY);
    this.stream.forgetKey();
    this.$('key-status').textContent = 'no key';
    this.$('account-name').textContent = '';
    for (const id of ['open-orders', 'fills', 'balances']) this.$(id).replaceChildren();
    this.enableForm();
  }

  enableForm() {
    this.$('place').disabled = !this.key;
    if (!this.key) this.$('key-status').textContent = 'paste an API key to trade';
  }

  /** Fills the price field (a click on the book). */
  usePrice(price) {
    this.$('price').value = price;
    this.$('price').focus();
  }

  async place() {
    const form = this.$('order-form');
    const body = {
      client_order_id: `web-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
      symbol: this.symbolOf(),
      side: form.elements.side.value,
      qty: wholeNumber(this.$('qty').value.trim()),
      limit_price: this.$('price').value.trim(),
      time_in_force: this.$('tif').value,
      post_only: this.$('post-only').checked,
    };
    this.$('order-error').replaceChildren();
    this.$('order-result').textContent = '';
    try {
      const o = await postJson('/v1/orders', this.key, body);
      this.$('order-result').textContent = `order ${o.order_id}: ${o.side} ${o.qty} ${o.symbol} @ ${o.limit_price}, ${o.status.replace('_', ' ')}`;
    } catch (e) {
      this.refused(e);
    }
    this.refresh();
  }

  async cancel(orderId, button) {
    button.disabled = true;
    try {
      await deleteJson(`/v1/orders/${encodeURIComponent(orderId)}`, this.key);
    } catch (e) {
      this.refused(e);
    }
    this.refresh();
  }

  refused(e) {
    const out = this.$('order-error');
    out.replaceChildren(el('span', 'code', e.code ?? 'ERROR'), document.createTextNode(` ${e.detail ?? e.message}`));
  }

  /** An order update of the private stream. */
  onOrderUpdate() {
    this.refresh();
  }

  /** Reloads orders, fills and balances soon; several calls in a row make one reload. */
  refresh() {
    if (!this.key || this.timer) return;
    this.timer = setTimeout(() => { this.timer = 0; this.reload(); }, REFRESH_DELAY_MS);
  }

  async reload() {
    const key = this.key;
    try {
      const [orders, fills, account] = await Promise.all([
        getJson('/v1/orders?status=open&limit=100', key),
        getJson('/v1/account/fills?limit=50', key),
        getJson('/v1/account', key),
      ]);
      if (key !== this.key) return;
      this.openOrders(orders.orders);
      this.fills(fills.fills);
      this.balances(account);
    } catch (e) {
      this.$('key-status').textContent = `could not load the account: ${e.message}`;
    }
  }

  openOrders(orders) {
    const body = this.$('open-orders');
    body.replaceChildren(...orders.map((o) => {
      const cancel = el('button', 'cancel', 'Cancel');
      cancel.type = 'button';
      cancel.dataset.order = String(o.order_id);
      cancel.setAttribute('aria-label', `Cancel order ${o.order_id}`);
      return row([o.symbol, [o.side, o.side], o.limit_price, String(o.qty), String(o.filled_qty),
        o.status.replace('_', ' '), cancel], 'order');
    }));
    if (!orders.length) body.append(row([['no open orders', 'muted']]));
  }

  fills(fills) {
    const body = this.$('fills');
    body.replaceChildren(...fills.map((f) => row([clock(f.executed_at), f.symbol, [f.side, f.side], f.price,
      String(f.qty), f.fee, [f.venue ?? '', 'venue']], 'fill')));
    if (!fills.length) body.append(row([['no fills yet', 'muted']]));
  }

  balances(a) {
    const rows = [row(['USD', a.cash.total, a.cash.reserved, a.cash.available], 'cash')];
    for (const p of a.positions) rows.push(row([p.symbol, String(p.qty), String(p.reserved), String(p.available)], 'position'));
    this.$('balances').replaceChildren(...rows);
  }
}
