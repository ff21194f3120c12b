// Candles with a volume pane (TradingView lightweight-charts 5, shipped inside the jar): the
// REST history of the chosen interval, then each kline of the stream updating the last candle
// or opening the next. A legend under the title shows the newest candle's numbers.

import { createChart, CandlestickSeries, HistogramSeries, ColorType } from '../vendor/lightweight-charts.mjs';
import { epochSeconds } from './format.js';

const UP = '#26a69a';
const DOWN = '#ef5350';

export class CandleChart {
  constructor(container, legend) {
    this.legend = legend;
    this.chart = createChart(container, {
      autoSize: true,
      layout: { background: { type: ColorType.Solid, color: '#141a21' }, textColor: '#d6dde6',
        attributionLogo: true, panes: { separatorColor: '#232b35' } },
      grid: { vertLines: { color: '#1c242e' }, horzLines: { color: '#1c242e' } },
      rightPriceScale: { borderColor: '#232b35' },
      timeScale: { borderColor: '#232b35', timeVisible: true, secondsVisible: false },
    });
    this.candles = this.chart.addSeries(CandlestickSeries, {
      upColor: UP, downColor: DOWN, borderVisible: false, wickUpColor: UP, wickDownColor: DOWN,
    });
    this.volume = this.chart.addSeries(HistogramSeries, { priceFormat: { type: 'volume' } }, 1);
    this.chart.panes()[1]?.setHeight(80);
    this.count = 0;
    this.last = 0;
  }

  /** Replaces the history (REST candles, oldest first) for a symbol and interval. */
  history(interval, candles) {
    candles = candles.slice().sort((a, b) => Date.parse(a.open_time) - Date.parse(b.open_time));
    this.chart.applyOptions({ timeScale: { secondsVisible: interval === '1s' } });
    this.candles.setData(candles.map(bar));
    this.volume.setData(candles.map(vol));
    this.count = candles.length;
    this.last = candles.length ? epochSeconds(candles[candles.length - 1].open_time) : 0;
    this.showLegend(candles[candles.length - 1]);
    this.chart.timeScale().scrollToRealTime();
  }

  /** A kline from the stream: the newest candle's new state, or a new one. */
  update(c) {
    const t = epochSeconds(c.open_time);
    if (t < this.last) return; // older than what is drawn: history already has it
    if (t > this.last) this.count++;
    this.last = t;
    this.candles.update(bar(c));
    this.volume.update(vol(c));
    this.showLegend(c);
  }

  showLegend(c) {
    if (!c) {
      this.legend.textContent = 'no candles yet';
      return;
    }
    this.legend.textContent = `O ${c.open} H ${c.high} L ${c.low} C ${c.close} V ${c.volume}`;
    this.legend.dataset.candles = String(this.count);
  }
}

function bar(c) {
  return { time: epochSeconds(c.open_time), open: Number(c.open), high: Number(c.high),
    low: Number(c.low), close: Number(c.close) };
}

function vol(c) {
  return { time: epochSeconds(c.open_time), value: c.volume,
    color: Number(c.close) >= Number(c.open) ? 'rgba(38,166,154,0.5)' : 'rgba(239,83,80,0.5)' };
}
