import { Injectable } from '@nestjs/common';
import { SYMBOL_PATTERN } from '@tickstream/client/contract';
import { AppConfig } from '../config/app-config.js';
import { InvalidFieldException } from '../validation/invalid-field.exception.js';
import { DEFAULT_UNIVERSE, profileFor, profileOf, type SymbolProfile } from './symbol-universe.js';

/**
 * The symbols this deployment serves: those configured, and with ALLOW_NEW_SYMBOLS=true any
 * well-formed one, so that a symbol ingested through one instance can be streamed from all.
 */
@Injectable()
export class SymbolRegistry {
  readonly profiles: readonly SymbolProfile[];
  private readonly bySymbol: ReadonlyMap<string, SymbolProfile>;

  constructor(private readonly config: AppConfig) {
    this.profiles = config.SYMBOLS
      ? [...new Map(config.SYMBOLS.map(profileOf).map((p) => [p.symbol, p])).values()]
      : DEFAULT_UNIVERSE;
    this.bySymbol = new Map(this.profiles.map((profile) => [profile.symbol, profile]));
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
