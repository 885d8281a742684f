#!/usr/bin/env node
import { parseArgs } from 'node:util';
import type { StreamEvent } from '../stream-event.js';
import { StreamHttpError } from '../stream-http-error.js';
import { subscribe } from '../subscribe.js';
import { QuoteTable } from './quote-table.js';

const USAGE = `Usage: tickstream tail SYMBOLS [--throttle MS] [--url URL] [--json]

Prints live quotes of SYMBOLS (comma-separated, e.g. AAPL,MSFT) until Ctrl-C.

  --throttle MS  at most one update per symbol every MS milliseconds (default 0: every tick)
  --url URL      the tickstream server (default http://localhost:3000)
  --json         one JSON object per line, the typed client's events, instead of a table
  --help         this text

With a server run with STREAM_AUTH=jwt, the token is read from TICKSTREAM_TOKEN.

Exit status: 0 when stopped, 1 when the server refuses the request or cannot be reached,
2 for a bad command line.`;

/** Exit statuses. */
const STOPPED = 0;
const FAILED = 1;
const BAD_USAGE = 2;

interface TailCommand {
  url: string;
  symbols: string[];
  throttle: number;
  json: boolean;
}

class UsageError extends Error {}

function parseCommand(argv: string[]): TailCommand | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        throttle: { type: 'string', default: '0' },
        url: { type: 'string', default: 'http://localhost:3000' },
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
  if (!/^\d+$/.test(values.throttle)) {
    throw new UsageError(
      `--throttle must be a whole number of milliseconds, got "${values.throttle}"`,
    );
  }
  if (!isHttpUrl(values.url)) {
    throw new UsageError(`--url must be a URL such as http://localhost:3000, got "${values.url}"`);
  }
  return { url: values.url, symbols, throttle: Number(values.throttle), json: values.json };
}

function isHttpUrl(text: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(text).protocol);
  } catch {
    return false;
  }
}

/** Streams until Ctrl-C; returns the exit status. */
async function tail({ url, symbols, throttle, json }: TailCommand): Promise<number> {
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // A closed pipe (`| head`) ends the tail like Ctrl-C does.
  process.stdout.on('error', stop);
  const show = json ? jsonLines() : tableLines(new QuoteTable(symbols));
  let connected = false;
  try {
    const token = process.env.TICKSTREAM_TOKEN || undefined;
    for await (const event of subscribe({
      url,
      symbols,
      throttle,
      token,
      signal: controller.signal,
    })) {
      if (event.type === 'reconnecting' && !connected) {
        console.error(`tickstream: cannot stream from ${url}: ${event.reason}`);
        return FAILED;
      }
      connected ||= event.type === 'open';
      show(event);
    }
    return STOPPED;
  } catch (error) {
    if (error instanceof StreamHttpError) {
      console.error(`tickstream: ${error.message}`);
      return FAILED;
    }
    throw error;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

function jsonLines(): (event: StreamEvent) => void {
  return (event) => {
    if (event.type !== 'heartbeat') {
      print(JSON.stringify(event));
    }
  };
}

/** Quotes as table rows on stdout; what happens to the connection as notes on stderr. */
function tableLines(table: QuoteTable): (event: StreamEvent) => void {
  let opened = false;
  return (event) => {
    switch (event.type) {
      case 'open':
        if (opened) {
          console.error(`tickstream: reconnected${event.resumed ? ', nothing missed' : ''}`);
        } else {
          print(table.header());
        }
        opened = true;
        break;
      case 'snapshot':
        event.quotes.forEach((quote) => print(table.row(quote)));
        break;
      case 'tick':
        print(table.row(event.quote));
        break;
      case 'reset':
        console.error(`tickstream: ticks were missed (${event.reason}); latest quotes follow`);
        break;
      case 'reconnecting':
        console.error(
          `tickstream: ${event.reason}; reconnecting in ${(event.delayMs / 1000).toFixed(1)} s`,
        );
        break;
      case 'token-expired':
      case 'ended':
        console.error(`tickstream: ${event.message}`);
        break;
      case 'heartbeat':
        break;
    }
  };
}

async function main(argv: string[]): Promise<number> {
  let command: TailCommand | 'help';
  try {
    command = parseCommand(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`tickstream: ${error.message}\n\n${USAGE}`);
      return BAD_USAGE;
    }
    throw error;
  }
  if (command === 'help') {
    print(USAGE);
    return STOPPED;
  }
  return tail(command);
}

main(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = FAILED;
  },
);
