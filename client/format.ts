const cents = new Intl.NumberFormat('en-US', {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});
const signedCents = new Intl.NumberFormat('en-US', {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
  signDisplay: 'exceptZero',
});
const signedPercent = new Intl.NumberFormat('en-US', {
  style: 'percent',
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
  signDisplay: 'exceptZero',
});
const clock = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});
const minutes = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

const shares = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 2 });

export const formatPrice = (value: number): string => cents.format(value);
/** "1.28M", "940K", "310": a volume of shares, short. */
export const formatVolume = (value: number): string => shares.format(value);
export const formatChange = (value: number): string => signedCents.format(value);
export const formatPercent = (fraction: number): string => signedPercent.format(fraction);
export const formatClock = (ms: number): string => clock.format(ms);
export const formatMinutes = (ms: number): string => minutes.format(ms);

/** The direction a formatted change shows: one that rounds to zero shows none. */
export function signOf(formatted: string): 'up' | 'down' | 'flat' {
  return formatted.startsWith('+') ? 'up' : formatted.startsWith('-') ? 'down' : 'flat';
}

/** "0.4s", "12s", "3m 05s": how long ago something happened. */
export function formatAge(ms: number): string {
  if (ms < 10_000) {
    return `${(Math.max(ms, 0) / 1000).toFixed(1)}s`;
  }
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) {
    return `${seconds}s`;
  }
  return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`;
}
