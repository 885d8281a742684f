import { loadConfig } from '../../config/app-config.js';
import { MarketHours } from './market-hours.js';

describe('MarketHours', () => {
  it('is always open by default', () => {
    expect(new MarketHours('always').isOpen(Date.UTC(2026, 11, 6, 3))).toBe(true);
  });

  it('is open on weekdays from open to close in its time zone', () => {
    const hours = new MarketHours('09:30-16:00 America/New_York');
    // Wednesday 2 December 2026; New York is UTC-5 in winter.
    expect(hours.isOpen(Date.UTC(2026, 11, 2, 14, 29))).toBe(false);
    expect(hours.isOpen(Date.UTC(2026, 11, 2, 14, 30))).toBe(true);
    expect(hours.isOpen(Date.UTC(2026, 11, 2, 20, 59))).toBe(true);
    expect(hours.isOpen(Date.UTC(2026, 11, 2, 21, 0))).toBe(false);
    // Saturday.
    expect(hours.isOpen(Date.UTC(2026, 11, 5, 15))).toBe(false);
  });

  it('is a setting checked at start', () => {
    expect(loadConfig({ MARKET_HOURS: '08:00-16:30 Europe/London' }).MARKET_HOURS).toBe(
      '08:00-16:30 Europe/London',
    );
    for (const bad of ['9:30-16:00 America/New_York', '09:30-16:00 Mars/Olympus', 'never']) {
      expect(() => loadConfig({ MARKET_HOURS: bad })).toThrow(/MARKET_HOURS/);
    }
  });
});
