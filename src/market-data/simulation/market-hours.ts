import { MARKET_HOURS_PATTERN, minutesOf } from '../../config/config-validators.js';

const WEEKDAYS = new Set(['Mon', 'Tue', 'Wed', 'Thu', 'Fri']);

/**
 * When the market trades: always (the default, so that the simulated market always moves), or
 * from open to close, Monday to Friday, in a time zone, as in `09:30-16:00 America/New_York`.
 */
export class MarketHours {
  private readonly clock: Intl.DateTimeFormat | undefined;
  private readonly open: number = 0;
  private readonly close: number = 0;

  /** Throws for a setting that is not `always` or hours in a zone the runtime knows. */
  constructor(setting: string) {
    if (!MARKET_HOURS_PATTERN.test(setting)) {
      throw new Error(`"${setting}" is not "always" or hours like "09:30-16:00 America/New_York"`);
    }
    if (setting === 'always') {
      return;
    }
    const [hours, timeZone] = setting.split(' ');
    const [open, close] = hours.split('-').map(minutesOf);
    this.open = open;
    this.close = close;
    this.clock = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
  }

  /** Whether the market trades at `time` (ms since the epoch). */
  isOpen(time: number): boolean {
    if (!this.clock) {
      return true;
    }
    const parts = Object.fromEntries(
      this.clock.formatToParts(time).map(({ type, value }) => [type, value]),
    );
    const minute = Number(parts.hour) * 60 + Number(parts.minute);
    return WEEKDAYS.has(parts.weekday ?? '') && minute >= this.open && minute < this.close;
  }
}
