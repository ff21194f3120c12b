// One WebSocket to /v1/stream for the whole page: subscriptions by name, AUTH for the private
// orders stream, a heartbeat that notices a silent connection, and reconnection with backoff.
// After every (re)connect the page is told (onOpen) so it can take fresh REST snapshots: the
// feed is only trusted again once snapshot and stream have been joined.

const HEARTBEAT_MS = 5000;      // a LIST_SUBSCRIPTIONS this often...
const HEARTBEAT_LATE_MS = 4000; // ...answered within this, or the feed is stale
const ANSWER_MS = 5000;         // any request unanswered this long has failed
const BACKOFF_MS = [500, 1000, 2000, 4000, 8000];
// The server closes a connection that sends more than 5 messages a second (a burst of one
// second's worth allowed): we pace ourselves a little below that, so quick clicks queue instead.
const SENDS_PER_SECOND = 4;

export class Stream {
  /**
   * @param handlers onMessage(stream, msg) for data, onStatus(state, text) with state one of
   *        connecting | live | stale | offline, onOpen() after each (re)connect is subscribed
   */
  constructor(url, handlers) {
    this.url = url;
    this.handlers = handlers;
    this.wanted = new Set();
    this.key = null;
    this.nextId = 1;
    this.pending = new Map();
    this.attempt = 0;
    this.ws = null;
    this.beat = null;
    this.awaitingBeat = null;
    this.stale = false;
    this.problem = null; // 'stale' | 'offline' from a lost connection until the next one is live
    this.outbox = [];
    this.sendTat = 0;   // theoretical arrival time of the next send (GCRA, as the server counts)
    this.drainTimer = 0;
  }

  start() {
    this.connect();
  }

  connect() {
    // while reconnecting, keep saying what went wrong until the feed is live again
    if (this.problem) this.status(this.problem, `${this.problem === 'stale' ? 'stale feed' : 'offline'}, reconnecting…`);
    else this.status('connecting', 'connecting…');
    this.outbox = [];
    clearTimeout(this.drainTimer);
    this.drainTimer = 0;
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.onopen = () => this.opened(ws);
    ws.onmessage = (e) => this.received(e.data);
    ws.onclose = () => this.closed(ws);
    ws.onerror = () => { /* onclose follows and reconnects */ };
  }

  async opened(ws) {
    try {
      if (this.key) {
        await this.request('AUTH', [this.key]).catch((e) => {
          if (!e.code) throw e; // no answer: handled below
          this.handlers.onAuthError?.(e); // the key was refused: carry on without it
          this.key = null;
        });
      }
      const names = [...this.wanted].filter((n) => n !== 'orders' || this.key);
      if (names.length) await this.request('SUBSCRIBE', names);
    } catch (e) {
      // unanswered (the feed is stale) or refused: this connection cannot be trusted; start over
      if (ws === this.ws) {
        this.stale = !e.code;
        ws.close();
      }
      return;
    }
    if (ws !== this.ws) return;
    this.attempt = 0;
    this.problem = null;
    this.status('live', 'live');
    this.beat = setInterval(() => this.heartbeat(), HEARTBEAT_MS);
    this.handlers.onOpen();
  }

  closed(ws) {
    if (ws !== this.ws) return;
    clearInterval(this.beat);
    clearTimeout(this.awaitingBeat);
    this.awaitingBeat = null;
    for (const p of this.pending.values()) p.reject(new Error('connection closed'));
    this.pending.clear();
    const wait = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)];
    this.attempt++;
    this.problem = this.stale ? 'stale' : 'offline';
    this.stale = false;
    this.status(this.problem, `${this.problem === 'stale' ? 'stale feed' : 'offline'}, reconnecting in ${Math.ceil(wait / 1000)} s`);
    setTimeout(() => this.connect(), wait);
  }

  heartbeat() {
    if (this.awaitingBeat) return;
    this.awaitingBeat = setTimeout(() => {
      // no answer: the feed may be silently stale; say so, drop it and resync on reconnect
      this.stale = true;
      this.ws.close();
    }, HEARTBEAT_LATE_MS);
    this.request('LIST_SUBSCRIPTIONS')
      .then(() => { clearTimeout(this.awaitingBeat); this.awaitingBeat = null; })
      .catch(() => {});
  }

  received(text) {
    let msg;
    try {
      msg = JSON.parse(text);
    } catch (e) {
      return;
    }
    if (msg.stream) {
      this.handlers.onMessage(msg.stream, msg);
    } else if (msg.id !== undefined && this.pending.has(msg.id)) {
      const p = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      if (msg.error) p.reject(Object.assign(new Error(msg.error.msg), { code: msg.error.code }));
      else p.resolve(msg.result);
    }
  }

  /** Sends a method; resolves with its result, rejects with its error. Needs an open socket. */
  request(method, params) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (!this.ws || this.ws.readyState !== WebSocket.OPEN) {
        reject(new Error('not connected'));
        return;
      }
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`no answer to ${method}`));
      }, ANSWER_MS);
      this.pending.set(id, {
        resolve: (v) => { clearTimeout(timer); resolve(v); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      });
      const m = { method, id };
      if (params) m.params = params;
      this.outbox.push(JSON.stringify(m));
      this.drain();
    });
  }

  /** Sends queued messages as fast as the server's inbound limit allows, then waits. */
  drain() {
    while (this.outbox.length && !this.drainTimer && this.isOpen()) {
      const now = performance.now();
      const tat = Math.max(this.sendTat, now) + 1000 / SENDS_PER_SECOND;
      if (tat - now > 1000) {
        this.drainTimer = setTimeout(() => { this.drainTimer = 0; this.drain(); }, tat - now - 1000);
        return;
      }
      this.sendTat = tat;
      this.ws.send(this.outbox.shift());
    }
  }

  /** Adds names; subscribes now when connected (else on connect). Resolves once acknowledged. */
  subscribe(names) {
    const fresh = names.filter((n) => !this.wanted.has(n));
    fresh.forEach((n) => this.wanted.add(n));
    if (!fresh.length || !this.isOpen()) return Promise.resolve();
    return this.request('SUBSCRIBE', fresh);
  }

  unsubscribe(names) {
    const gone = names.filter((n) => this.wanted.delete(n));
    if (!gone.length || !this.isOpen()) return Promise.resolve();
    return this.request('UNSUBSCRIBE', gone).catch(() => {});
  }

  /** Binds the connection to an account (AUTH) and subscribes its private orders stream. */
  async authenticate(key) {
    this.key = key;
    this.wanted.add('orders');
    if (!this.isOpen()) return;
    await this.request('AUTH', [key]);
    await this.request('SUBSCRIBE', ['orders']);
  }

  /** Forgets the key: a connection stays bound to its account, so start a new one. */
  forgetKey() {
    this.key = null;
    this.wanted.delete('orders');
    if (this.ws) this.ws.close();
  }

  isOpen() {
    return this.ws && this.ws.readyState === WebSocket.OPEN;
  }

  status(state, text) {
    this.handlers.onStatus(state, text);
  }
}
