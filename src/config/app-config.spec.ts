import { ConfigError, loadConfig } from './app-config.js';

describe('loadConfig', () => {
  it('applies defaults to an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      TICKS_PER_SECOND: 50,
      HISTORY_SIZE: 100_000,
      FEED: 'simulated',
    });
    expect(config.SYMBOLS).toBeUndefined();
  });

  it('reads numbers and symbol lists from strings', () => {
    const config = loadConfig({
      PORT: '8080',
      SYMBOLS: 'aapl, msft',
      FEED_SEED: '7',
      PATH: '/bin',
    });
    expect(config).toMatchObject({ PORT: 8080, SYMBOLS: ['AAPL', 'MSFT'], FEED_SEED: 7 });
    expect(config).not.toHaveProperty('PATH');
  });

  it('names every bad variable and its value', () => {
    expect(() => loadConfig({ PORT: 'eighty', HISTORY_SIZE: '0', FEED: 'kafka' })).toThrow(
      ConfigError,
    );
    try {
      loadConfig({ PORT: 'eighty', HISTORY_SIZE: '0', FEED: 'kafka' });
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('PORT="eighty"');
      expect(message).toContain('HISTORY_SIZE="0"');
      expect(message).toContain('FEED="kafka"');
    }
  });

  it('refuses a feed or edge role without the Redis bus, and a short ingest token', () => {
    expect(() => loadConfig({ ROLE: 'edge' })).toThrow(/ROLE="edge".*BUS=redis/);
    expect(loadConfig({ ROLE: 'feed', BUS: 'redis' })).toMatchObject({
      ROLE: 'feed',
      BUS: 'redis',
    });
    expect(() => loadConfig({ INGEST_TOKEN: 'short' })).toThrow(/INGEST_TOKEN=\(hidden\)/);
    expect(() => loadConfig({ ALLOW_NEW_SYMBOLS: 'yes' })).toThrow(/ALLOW_NEW_SYMBOLS="yes"/);
    expect(() => loadConfig({ REDIS_URL: 'http://x' })).toThrow(/REDIS_URL="http:\/\/x"/);
  });
});
