export type Verdict = 'PASS' | 'MISS' | 'n/a' | 'info';

/** A target of the bench, or a figure shown beside the targets. */
export interface Check {
  scenario: number;
  target: string;
  measured: string;
  verdict: Verdict;
}

export function formatNumber(value: number | null | undefined, digits: number): string {
  if (value === null || value === undefined || Number.isNaN(value)) {
    return '—';
  }
  if (!Number.isFinite(value)) {
    return 'lost';
  }
  return value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

/** a ÷ b, when both are numbers and it is finite. */
export function ratio(
  a: number | null | undefined,
  b: number | null | undefined,
): number | undefined {
  return typeof a === 'number' && typeof b === 'number' && b !== 0 && Number.isFinite(a / b)
    ? a / b
    : undefined;
}

export function formatRatio(value: number | undefined): string {
  return value === undefined ? '—' : `${value.toFixed(2)}×`;
}

/** A Markdown table: the first column left-aligned, the others right-aligned. */
export function table(header: readonly string[], lines: readonly string[][]): string {
  const widths = header.map((_, c) =>
    Math.max(...[header, ...lines].map((line) => line[c].length)),
  );
  const pad = (cell: string, c: number) =>
    c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]);
  const format = (line: readonly string[]) => `| ${line.map(pad).join(' | ')} |`;
  const rule = `|${widths.map((w, c) => (c === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [format(header), rule, ...lines.map(format)].join('\n');
}

export function formatChecks(list: readonly Check[]): string {
  return list
    .map((c) => `  [${c.verdict.padEnd(4)}] S${c.scenario} ${c.target}: ${c.measured}`)
    .join('\n');
}
