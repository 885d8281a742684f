import type { SymbolSelection } from '../bus/latest-values.js';

/** The symbols a resumed stream carries that its resume point was not received for. */
export interface AddedSymbols {
  /** What to ask the bus's snapshot for: it may hold more than the added symbols. */
  selection: SymbolSelection;
  has(symbol: string): boolean;
}

/**
 * The symbols of `symbols` not among `had`, those the resume point was received for; undefined
 * when none is added (`had` unknown counts as every symbol: a client that does not say resumes
 * every symbol it asks for).
 */
export function addedSymbols(
  symbols: SymbolSelection,
  had: SymbolSelection | undefined,
): AddedSymbols | undefined {
  if (had === undefined || had === 'all') {
    return undefined;
  }
  const before = new Set(had);
  if (symbols === 'all') {
    return { selection: 'all', has: (symbol) => !before.has(symbol) };
  }
  const added = symbols.filter((symbol) => !before.has(symbol));
  if (added.length === 0) {
    return undefined;
  }
  const addedSet = new Set(added);
  return { selection: added, has: (symbol) => addedSet.has(symbol) };
}
