import {
  HttpStatus,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { SYMBOL_PATTERN } from '@tickstream/client/contract';
import type { Subscription } from 'rxjs';
import { EventLog } from '../bus/event-log.js';
import { LatestValues } from '../bus/latest-values.js';
import { AppConfig } from '../config/app-config.js';
import { FieldErrorException } from '../validation/field-error.exception.js';
import { InvalidFieldException } from '../validation/invalid-field.exception.js';
import { DEFAULT_UNIVERSE, profileFor, profileOf, type SymbolProfile } from './symbol-universe.js';

/**
 * The symbols this deployment serves: those configured, and with ALLOW_NEW_SYMBOLS=true any
 * well-formed one, so that a symbol ingested through one instance can be streamed from all.
 * The universe (those configured, and those the bus has carried, from any instance) holds at
 * most MAX_SYMBOLS: each costs every instance memory for as long as it runs.
 */
@Injectable()
export class SymbolRegistry implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(SymbolRegistry.name);
  readonly profiles: readonly SymbolProfile[];
  private readonly bySymbol: ReadonlyMap<string, SymbolProfile>;
  /** Every symbol of the universe. */
  private readonly universe: Set<string>;
  private subscription: Subscription | undefined;

  constructor(
    private readonly config: AppConfig,
    private readonly log: EventLog,
    private readonly latest: LatestValues,
  ) {
    this.profiles = config.SYMBOLS
      ? [...new Map(config.SYMBOLS.map(profileOf).map((p) => [p.symbol, p])).values()]
      : DEFAULT_UNIVERSE;
    this.bySymbol = new Map(this.profiles.map((profile) => [profile.symbol, profile]));
    this.universe = new Set(this.bySymbol.keys());
  }

  onModuleInit(): void {
    if (this.config.ALLOW_NEW_SYMBOLS !== 'true') {
      return;
    }
    // Symbols another instance let in come over the bus; those from before this one started,
    // with the latest quotes and states.
    this.subscription = this.log.allEvents.subscribe(({ symbol }) => this.universe.add(symbol));
    this.latest.snapshot('all').then(
      ({ quotes, states }) =>
        [...quotes, ...states].forEach(({ symbol }) => this.universe.add(symbol)),
      (error: unknown) => this.logger.warn(`symbols not read at start: ${String(error)}`),
    );
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  /**
   * Takes `symbols` (known ones, as `get` says) into the universe, all or none: throws a 409
   * naming `fieldOf` the first new one past MAX_SYMBOLS. Instances let symbols in each on its
   * own, so that two taking new ones at the same moment may pass the bound by a batch's worth.
   */
  admit(symbols: readonly string[], fieldOf: (index: number) => string): void {
    const room = this.config.MAX_SYMBOLS - this.universe.size;
    const fresh = new Set<string>();
    for (let index = 0; index < symbols.length; index++) {
      const symbol = symbols[index];
      if (!this.universe.has(symbol) && !fresh.has(symbol)) {
        if (fresh.size === room) {
          throw new FieldErrorException(
            HttpStatus.CONFLICT,
            fieldOf(index),
            `${symbol} is a new symbol, and the service holds MAX_SYMBOLS=` +
              `${this.config.MAX_SYMBOLS} symbols already`,
            { value: symbol },
          );
        }
        fresh.add(symbol);
      }
    }
    fresh.forEach((symbol) => this.universe.add(symbol));
  }

  get(symbol: string): SymbolProfile | undefined {
    const upper = symbol.toUpperCase();
    const known = this.bySymbol.get(upper);
    if (known || this.config.ALLOW_NEW_SYMBOLS !== 'true' || !SYMBOL_PATTERN.test(upper)) {
      return known;
    }
    return profileFor(upper);
  }

  /**
   * Parses a comma-separated, case-insensitive list of known symbols (duplicates dropped), or
   * throws a 400 naming `field` and the first bad entry.
   */
  parseList(field: string, raw: string): string[] {
    const symbols = [...new Set(raw.split(',').map((entry) => entry.trim().toUpperCase()))];
    for (const symbol of symbols) {
      if (symbol === '') {
        throw new InvalidFieldException(field, raw, 'empty symbol in the list');
      }
      if (!this.get(symbol)) {
        throw new InvalidFieldException(field, symbol, `unknown symbol "${symbol}"`);
      }
    }
    const max = this.config.MAX_SYMBOLS_PER_STREAM;
    if (symbols.length > max) {
      throw new InvalidFieldException(
        field,
        raw,
        `at most ${max} symbols per stream, got ${symbols.length}`,
      );
    }
    return symbols;
  }
}
