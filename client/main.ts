import { CANDLE_INTERVALS, isCandleInterval, type TradingState } from '@tickstream/client/contract';
import type { StreamEvent } from '@tickstream/client';
import { ConnectionBadge } from './connection-badge.js';
import { make, required } from './dom.js';
import { fetchCandles, fetchSymbol, fetchSymbols } from './market-api.js';
import { watchMarket, type MarketStream } from './market-stream.js';
import { DEFAULT_PARAMS, readParams, toQuery, type PageParams } from './page-params.js';
import { PageProbe } from './page-probe.js';
import { PriceChart } from './price-chart.js';
import { SignIn, tokenRefusal } from './sign-in.js';
import { TREND_MINUTES } from './sparkline.js';
import { SymbolPicker } from './symbol-picker.js';
import { TickerTable } from './ticker-table.js';

const notice = required('#notice', HTMLParagraphElement);
const chartSymbol = required('#chart-symbol', HTMLElement);
const chartName = required('#chart-name', HTMLElement);
const chartState = required('#chart-state', HTMLElement);
const intervalButtons = required('#intervals', HTMLDivElement);
// A button for every interval the server makes bars at.
intervalButtons.replaceChildren(
  ...Object.keys(CANDLE_INTERVALS).map((interval) => {
    const button = make('button', 'interval', interval);
    button.type = 'button';
    button.dataset.interval = interval;
    return button;
  }),
);

const names = new Map<string, string>();
const table = new TickerTable(required('#tickers tbody', HTMLTableSectionElement), select);
const chart = new PriceChart(required('#chart-area', HTMLElement));
const badge = new ConnectionBadge(required('#badge', HTMLDivElement));
const picker = new SymbolPicker(required('#picker', HTMLFormElement), (params) => {
  history.pushState(null, '', toQuery(params));
  show(params);
});
const signIn = new SignIn(required('#sign-in', HTMLFormElement), () => {
  notice.hidden = true;
  start();
});
window.tickstream = new PageProbe(chart);

let stream: MarketStream | undefined;
let shown: PageParams | undefined;
let selected = '';

function report(error: unknown): void {
  if (error instanceof DOMException && error.name === 'AbortError') {
    return;
  }
  const refusal = tokenRefusal(error);
  if (refusal !== undefined) {
    badge.signedOut(refusal);
    signIn.ask(refusal);
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

/**
 * Shows what `requested` asks for over one stream. Other symbols or another interval resume the
 * stream where it was, so that every row and the chart stay live (added symbols open with a
 * snapshot of their quotes and states; the REST API brings their halt reasons and trends);
 * another throttle opens a fresh stream, whose snapshot brings every quote, state and session
 * open.
 */
function show(requested: PageParams): void {
  const { params, unknown } = knownOnly(requested);
  if (unknown.length > 0) {
    history.replaceState(null, '', toQuery(params));
  }
  const before = shown;
  shown = params;
  picker.show(params);
  const sameSymbols = before?.symbols.join() === params.symbols.join();
  const added = table.setSymbols(params.symbols, names);
  if (!sameSymbols || before.throttle !== params.throttle) {
    notice.hidden = true;
  }
  if (unknown.length > 0) {
    report(new Error(`Unknown symbols left out: ${unknown.join(', ')}`));
  }
  const resumable = stream !== undefined && before?.throttle === params.throttle;
  if (resumable && before.interval === params.interval) {
    if (!sameSymbols) {
      stream?.setSymbols(params.symbols);
    }
  } else {
    const resumeFrom = resumable ? stream?.lastEventId : undefined;
    stream?.close();
    if (!resumable) {
      badge.connecting();
    }
    stream = watchMarket(
      params,
      {
        event: onStreamEvent,
        failed: (message, error) => {
          if (tokenRefusal(error) === undefined) {
            badge.failed(message);
            report(new Error(message));
          } else {
            report(error);
          }
        },
      },
      resumeFrom,
    );
  }
  if (resumable) {
    for (const symbol of added) {
      fetchSymbol(symbol).then((info) => {
        table.fill(info);
        showState();
      }, report);
    }
  }
  loadTrends(added);
  for (const button of intervalButtons.querySelectorAll('button')) {
    button.setAttribute('aria-pressed', String(button.dataset.interval === params.interval));
  }
  if (!params.symbols.includes(selected)) {
    select(params.symbols[0]);
  } else if (before?.interval !== params.interval) {
    chart.show(selected, params.interval).catch(report);
  }
}

/** The trend lines of `symbols`: their day in 1m bars. */
function loadTrends(symbols: readonly string[]): void {
  for (const symbol of symbols) {
    fetchCandles(symbol, '1m', TREND_MINUTES).then((bars) => table.trend(symbol, bars), report);
  }
}

function onStreamEvent(event: StreamEvent): void {
  badge.event(event);
  switch (event.type) {
    case 'snapshot':
      event.quotes.forEach((quote) => table.snapshot(quote));
      showState();
      break;
    case 'tick':
      window.tickstream.logTick(event.id, event.quote);
      table.update(event.quote, true);
      break;
    case 'bar':
      chart.bar(event.bar);
      break;
    case 'status': {
      const { symbol, state, reason } = event.status;
      table.setState(symbol, state, reason);
      showState();
      break;
    }
    case 'reset':
      // History was lost, so the server may have restarted: its session and bars are new.
      table.newSession();
      loadTrends(shown?.symbols ?? []);
      chart.reload().catch(report);
      break;
    case 'open':
    case 'heartbeat':
    case 'reconnecting':
    case 'token-expired':
    case 'ended':
      break;
  }
}

const STATE_NOTES: Record<Exclude<TradingState, 'open'>, string> = {
  halted: 'Trading halted',
  closed: 'Market closed',
};

/** Says, above the chart, when the charted symbol does not trade, and why. */
function showState(): void {
  const { state, reason } = table.stateOf(selected);
  chart.setState(state);
  chartState.hidden = state === 'open';
  chartState.dataset.state = state;
  chartState.textContent =
    state === 'open' ? '' : `${STATE_NOTES[state]}${reason ? `: ${reason}` : ''}`;
}

function select(symbol: string): void {
  selected = symbol;
  table.select(symbol);
  chartSymbol.textContent = symbol;
  chartName.textContent = names.get(symbol) ?? '';
  showState();
  chart.show(symbol, shown?.interval ?? DEFAULT_PARAMS.interval).catch(report);
}

intervalButtons.addEventListener('click', (event) => {
  const chosen = event.target instanceof HTMLButtonElement ? event.target.dataset.interval : '';
  if (shown && isCandleInterval(chosen) && chosen !== shown.interval) {
    const params = { ...shown, interval: chosen };
    history.pushState(null, '', toQuery(params));
    show(params);
  }
});
window.addEventListener('popstate', () => show(readParams(location.search)));

/** Learns the symbols served, then shows what the URL asks for, from scratch. */
function start(): void {
  stream?.close();
  stream = undefined;
  shown = undefined;
  selected = '';
  fetchSymbols()
    .then((known) => {
      known.forEach(({ symbol, name }) => names.set(symbol, name));
      picker.setKnown(known);
      show(readParams(location.search));
    })
    .catch((error: unknown) => {
      report(error);
      // Without a token nothing can be shown: the sign-in starts again once one is given.
      if (tokenRefusal(error) === undefined) {
        show(readParams(location.search));
      }
    });
}

history.replaceState(null, '', toQuery(readParams(location.search)));
start();
