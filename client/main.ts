import { CANDLE_INTERVALS, type CandleInterval } from '@tickstream/client/contract';
import { ConnectionBadge } from './connection-badge.js';
import { required } from './dom.js';
import { fetchSessionOpen, fetchSymbols } from './market-api.js';
import { DEFAULT_PARAMS, readParams, toQuery, type PageParams } from './page-params.js';
import { PageProbe } from './page-probe.js';
import { PriceChart } from './price-chart.js';
import { watchQuotes } from './quote-stream.js';
import type { StreamEvent } from '@tickstream/client';
import { SymbolPicker } from './symbol-picker.js';
import { TickerTable } from './ticker-table.js';

const notice = required('#notice', HTMLParagraphElement);
const chartSymbol = required('#chart-symbol', HTMLElement);
const chartName = required('#chart-name', HTMLElement);
const intervalButtons = required('#intervals', HTMLDivElement);

const names = new Map<string, string>();
const table = new TickerTable(required('#tickers tbody', HTMLTableSectionElement), select);
const chart = new PriceChart(required('#chart', HTMLDivElement));
const badge = new ConnectionBadge(required('#badge', HTMLDivElement));
const picker = new SymbolPicker(required('#picker', HTMLFormElement), (params) => {
  history.pushState(null, '', toQuery(params));
  subscribeTo(params);
});
window.tickstream = new PageProbe(chart);

let stream: AbortController | undefined;
let symbols: readonly string[] = [];
let selected = '';
let interval: CandleInterval = '1m';
/** Symbols whose session open is loaded or loading; a gap starts a new session. */
let opened = new Set<string>();

function report(error: unknown): void {
  if (error instanceof DOMException && error.name === 'AbortError') {
    return;
  }
  notice.textContent = error instanceof Error ? error.message : String(error);
  notice.hidden = false;
}

/** Drops symbols the server does not trade, so that a mistyped link still shows the rest. */
function knownOnly(params: PageParams): { params: PageParams; unknown: string[] } {
  const isKnown = (symbol: string) => names.size === 0 || names.has(symbol);
  const known = params.symbols.filter(isKnown);
  const defaults = DEFAULT_PARAMS.symbols.filter(isKnown);
  const fallback =
    defaults.length > 0 ? defaults : [...names.keys()].slice(0, DEFAULT_PARAMS.symbols.length);
  return {
    params: { ...params, symbols: known.length > 0 ? known : fallback },
    unknown: params.symbols.filter((symbol) => !isKnown(symbol)),
  };
}

function subscribeTo(requested: PageParams): void {
  stream?.abort();
  const { params, unknown } = knownOnly(requested);
  if (unknown.length > 0) {
    history.replaceState(null, '', toQuery(params));
  }
  symbols = params.symbols;
  picker.show(params);
  table.setSymbols(symbols, names);
  if (!symbols.includes(selected)) {
    select(symbols[0]);
  }
  notice.hidden = true;
  if (unknown.length > 0) {
    report(new Error(`Unknown symbols left out: ${unknown.join(', ')}`));
  }
  badge.connecting();
  stream = watchQuotes(params, {
    event: onStreamEvent,
    failed: (message) => {
      badge.failed(message);
      report(new Error(message));
    },
  });
  loadSessionOpens();
}

function onStreamEvent(event: StreamEvent): void {
  badge.event(event);
  switch (event.type) {
    case 'snapshot':
      // Not charted: the server's bars already count the latest quote.
      event.quotes.forEach((quote) => table.update(quote, false));
      break;
    case 'tick':
      window.tickstream.logTick(event.id, event.quote);
      table.update(event.quote, true);
      chart.add(event.quote);
      break;
    case 'reset':
      // History was lost, so the server may have restarted: its session and bars are new.
      opened = new Set();
      table.newSession();
      loadSessionOpens();
      chart.reload().catch(report);
      break;
    case 'bar':
    case 'status':
    case 'open':
    case 'heartbeat':
    case 'reconnecting':
    case 'token-expired':
    case 'ended':
      break;
  }
}

function loadSessionOpens(): void {
  const session = opened;
  for (const symbol of symbols.filter((s) => !session.has(s))) {
    session.add(symbol);
    fetchSessionOpen(symbol)
      .then((open) => {
        if (open !== undefined && session === opened) {
          table.setOpen(symbol, open);
        }
      })
      .catch((error: unknown) => {
        session.delete(symbol);
        report(error);
      });
  }
}

function select(symbol: string): void {
  selected = symbol;
  table.select(symbol);
  chartSymbol.textContent = symbol;
  chartName.textContent = names.get(symbol) ?? '';
  showChart();
}

function showChart(): void {
  for (const button of intervalButtons.querySelectorAll('button')) {
    button.setAttribute('aria-pressed', String(button.dataset.interval === interval));
  }
  chart.show(selected, interval).catch(report);
}

const isInterval = (value: string | undefined): value is CandleInterval =>
  value !== undefined && Object.hasOwn(CANDLE_INTERVALS, value);

intervalButtons.addEventListener('click', (event) => {
  const chosen = event.target instanceof HTMLButtonElement ? event.target.dataset.interval : '';
  if (isInterval(chosen) && chosen !== interval) {
    interval = chosen;
    showChart();
  }
});
window.addEventListener('popstate', () => subscribeTo(readParams(location.search)));

const initial = readParams(location.search);
history.replaceState(null, '', toQuery(initial));
fetchSymbols()
  .then((known) => {
    known.forEach(({ symbol, name }) => names.set(symbol, name));
    picker.setKnown(known);
  })
  .catch(report)
  .finally(() => subscribeTo(initial));
