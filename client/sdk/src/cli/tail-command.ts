import { parseArgs } from 'node:util';
import {
  CANDLE_INTERVALS,
  isCandleInterval,
  MAX_THROTTLE_MS,
  type CandleInterval,
} from '../contract/index.js';

export const DEFAULT_URL = 'http://localhost:3000';

const INTERVALS = Object.keys(CANDLE_INTERVALS).join(',');

export const USAGE = `Usage: tickstream tail SYMBOLS [--bars INTERVALS [--final]] [--throttle MS] [--url URL] [--json]

Prints live quotes of SYMBOLS (comma-separated, e.g. AAPL,MSFT, or * for every symbol) until
Ctrl-C, with the change (CHG, CHG%) from the previous close and the session's VOLUME, HIGH and
LOW, and a line when a symbol is halted, closes or opens (with why). A line on standard input changes
the symbols without missing anything of the others: +NVDA adds, -MSFT removes, AAPL,TSLA
replaces them all.

  --bars INTERVALS  bars instead of quotes, at one or more of ${INTERVALS}: a line each
                 time a bar changes, and once more, marked final, when it closes
  --final        with --bars, only the bars that have closed
  --throttle MS  at most one update per symbol every MS milliseconds, 0 to ${MAX_THROTTLE_MS}
                 (default 0: every tick)
  --url URL      the tickstream server (default: $TICKSTREAM_URL, else ${DEFAULT_URL})
  --json         one JSON object per line, the typed client's events (ticks, bars, status
                 changes...), instead of a table
  --help         this text

With a server run with STREAM_AUTH=jwt, the token is read from TICKSTREAM_TOKEN.

Exit status: 0 when stopped, 1 when the server refuses the request or cannot be reached,
2 for a bad command line.`;

export interface TailCommand {
  url: string;
  symbols: string[];
  throttle: number;
  /** Bar intervals to stream; empty for quotes. */
  bars: CandleInterval[];
  /** Only closed bars. */
  final: boolean;
  json: boolean;
  token?: string;
}

/** What is wrong with a command line, in one line. */
export class UsageError extends Error {}

/** The command that `argv` (without node and the script) and `env` ask for. */
export function parseCommand(argv: string[], env: NodeJS.ProcessEnv): TailCommand | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        throttle: { type: 'string', default: '0' },
        bars: { type: 'string' },
        final: { type: 'boolean', default: false },
        url: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    // parseArgs says exactly what is wrong: an unknown option, a missing value.
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    return 'help';
  }
  const [command, ...lists] = positionals;
  if (command !== 'tail') {
    throw new UsageError(command ? `unknown command "${command}"` : 'no command given');
  }
  const symbols = lists.flatMap((list) => list.split(',')).filter((symbol) => symbol !== '');
  if (symbols.length === 0) {
    throw new UsageError('no symbols given');
  }
  const throttle = /^\d+$/.test(values.throttle) ? Number(values.throttle) : Number.NaN;
  if (!(throttle <= MAX_THROTTLE_MS)) {
    throw new UsageError(
      `--throttle must be a whole number of milliseconds from 0 to ${MAX_THROTTLE_MS}, got "${values.throttle}"`,
    );
  }
  const bars = values.bars === undefined ? [] : [...new Set(values.bars.split(','))];
  if (!bars.every(isCandleInterval)) {
    throw new UsageError(
      `--bars must be one or more of ${INTERVALS}, comma-separated, got "${values.bars}"`,
    );
  }
  if (values.final && bars.length === 0) {
    throw new UsageError('--final needs --bars: only bars close');
  }
  // The flag wins over the environment, which wins over the default.
  const url = values.url ?? (env.TICKSTREAM_URL || DEFAULT_URL);
  if (!isHttpUrl(url)) {
    const source = values.url === undefined ? 'TICKSTREAM_URL' : '--url';
    throw new UsageError(`${source} must be a URL such as ${DEFAULT_URL}, got "${url}"`);
  }
  const token = env.TICKSTREAM_TOKEN || undefined;
  return { url, symbols, throttle, bars, final: values.final, json: values.json, token };
}

function isHttpUrl(text: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(text).protocol);
  } catch {
    return false;
  }
}
