/**
 * The symbols after a line typed while tailing: `+NVDA,AMD` adds, `-MSFT` removes, `AAPL,TSLA`
 * replaces them all. Undefined for a line that says nothing, or would leave no symbol.
 */
export function changeSymbols(current: readonly string[], line: string): string[] | undefined {
  const text = line.trim();
  const sign = text[0];
  const named = (sign === '+' || sign === '-' ? text.slice(1) : text)
    .split(/[\s,]+/)
    .map((symbol) => symbol.toUpperCase())
    .filter((symbol) => symbol !== '');
  if (named.length === 0) {
    return undefined;
  }
  const upper = current.map((symbol) => symbol.toUpperCase());
  const next =
    sign === '+'
      ? [...new Set([...upper, ...named])]
      : sign === '-'
        ? upper.filter((symbol) => !named.includes(symbol))
        : [...new Set(named)];
  return next.length > 0 ? next : undefined;
}
