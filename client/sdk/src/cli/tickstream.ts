import { createInterface } from 'node:readline';
import type { StreamEvent } from '../stream-event.js';
import { StreamHttpError } from '../stream-http-error.js';
import { subscribe } from '../subscribe.js';
import { changeSymbols } from './symbol-change.js';
import { printable, TailTable } from './tail-table.js';
import { parseCommand, USAGE, UsageError, type TailCommand } from './tail-command.js';

/** Exit statuses. */
const STOPPED = 0;
const FAILED = 1;
const BAD_USAGE = 2;

/** Streams until Ctrl-C; returns the exit status. */
async function tail({
  url,
  symbols,
  throttle,
  bars,
  final,
  json,
  token,
}: TailCommand): Promise<number> {
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // A closed pipe (`| head`) ends the tail like Ctrl-C does.
  process.stdout.on('error', stop);
  const show = json ? jsonLines() : tableLines(new TailTable(symbols, bars.length > 0));
  let connected = false;
  const subscription = subscribe({
    url,
    symbols,
    throttle,
    bars,
    token,
    signal: controller.signal,
  });
  // Not a terminal's line editor: Ctrl-C stays the terminal's, a SIGINT.
  const input = createInterface({ input: process.stdin, terminal: false });
  let streamed = symbols;
  input.on('line', (line) => {
    const next = changeSymbols(streamed, line);
    if (next === undefined) {
      note(`"${line}" changes nothing: +SYMBOLS adds, -SYMBOLS removes, SYMBOLS replaces`);
      return;
    }
    streamed = next;
    note(`streaming ${next.join(',')}`);
    subscription.setSymbols(next);
  });
  try {
    for await (const event of subscription) {
      if (event.type === 'reconnecting' && !connected) {
        return fail(`cannot stream from ${url}: ${event.reason}`);
      }
      connected ||= event.type === 'open';
      if (!(final && event.type === 'bar' && !event.bar.final)) {
        show(event);
      }
    }
    return STOPPED;
  } catch (error) {
    if (error instanceof StreamHttpError) {
      return fail(error.message);
    }
    throw error;
  } finally {
    input.close();
    process.stdin.destroy();
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** The longest message printed: a server's message is its own, and may be anything. */
const MAX_MESSAGE_LENGTH = 500;

/** One line on stderr, for people: what happens to the connection, or what went wrong. */
function note(message: string): void {
  const line = printable(message).slice(0, MAX_MESSAGE_LENGTH);
  process.stderr.write(`tickstream: ${line}\n`);
}

/** Says what went wrong, and returns the exit status for it. */
function fail(message: string, status = FAILED): number {
  note(message);
  return status;
}

function jsonLines(): (event: StreamEvent) => void {
  return (event) => {
    if (event.type !== 'heartbeat') {
      print(JSON.stringify(event));
    }
  };
}

/**
 * Quotes (or bars) and trading states as table rows on stdout; what happens to the connection as
 * notes on stderr.
 */
function tableLines(table: TailTable): (event: StreamEvent) => void {
  let opened = false;
  return (event) => {
    switch (event.type) {
      case 'open':
        if (opened) {
          note(`reconnected${event.resumed ? ', nothing missed' : ''}`);
        } else {
          print(table.header());
        }
        opened = true;
        break;
      case 'snapshot':
        for (const quote of event.quotes) {
          if (!table.ofBars) {
            print(table.snapshot(quote));
          }
          // An open symbol goes without saying; one that does not trade is worth a line.
          if (quote.state !== 'open') {
            print(
              table.status({
                symbol: quote.symbol,
                state: quote.state,
                reason: quote.stateReason,
                ts: quote.stateSince ?? quote.ts,
              }),
            );
          }
        }
        break;
      case 'tick':
        if (!table.ofBars) {
          print(table.quote(event.quote));
        }
        break;
      case 'bar':
        print(table.bar(event.bar));
        break;
      case 'status':
        print(table.status(event.status));
        break;
      case 'reset':
        note(`ticks were missed (${event.reason}); latest quotes follow`);
        break;
      case 'reconnecting':
        note(`${event.reason}; reconnecting in ${(event.delayMs / 1000).toFixed(1)} s`);
        break;
      case 'token-expired':
      case 'ended':
        note(event.message);
        break;
      case 'heartbeat':
        break;
    }
  };
}

async function main(argv: string[]): Promise<number> {
  let command: TailCommand | 'help';
  try {
    command = parseCommand(argv, process.env);
  } catch (error) {
    if (error instanceof UsageError) {
      return fail(`${error.message} (tickstream --help shows the usage)`, BAD_USAGE);
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
    process.exitCode = fail(error instanceof Error ? error.message : String(error));
  },
);
