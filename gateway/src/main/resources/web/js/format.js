// Small display helpers. Prices and amounts arrive as decimal strings and are shown as sent
// (exact); numbers are parsed only to sort levels, size depth bars and feed the chart.

/** An element with an optional class and text. */
export function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}

/** A table row of cells; each cell is text or [text, className]. */
export function row(cells, className) {
  const tr = el('tr', className);
  for (const c of cells) {
    if (c instanceof Node) {
      const td = el('td');
      td.append(c);
      tr.append(td);
    } else if (Array.isArray(c)) {
      tr.append(el('td', c[1], c[0]));
    } else {
      tr.append(el('td', null, c));
    }
  }
  return tr;
}

/** HH:MM:SS of an ISO instant, in the browser's time zone. */
export function clock(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return d.toLocaleTimeString([], { hour12: false });
}

/** Seconds since the epoch of an ISO instant (the chart's time unit). */
export function epochSeconds(iso) {
  return Math.floor(Date.parse(iso) / 1000);
}

/** Change from ref to last as "+1.23%", or "" when either is missing. */
export function changePct(last, ref) {
  const l = Number(last), r = Number(ref);
  if (!last || !ref || !Number.isFinite(l) || !Number.isFinite(r) || r === 0) return '';
  const pct = ((l - r) / r) * 100;
  return (pct >= 0 ? '+' : '') + pct.toFixed(2) + '%';
}

/** The difference of two decimal strings with the larger scale of the two (display only). */
export function decimalDiff(a, b) {
  const scale = Math.max(fraction(a), fraction(b));
  return (Number(a) - Number(b)).toFixed(scale);
}

function fraction(s) {
  const i = String(s).indexOf('.');
  return i < 0 ? 0 : String(s).length - i - 1;
}
