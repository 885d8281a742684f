import { generateKeyPairSync } from 'node:crypto';
import { ConfigError, loadConfig } from './app-config.js';

const SECRET = 'a-development-secret-of-32-chars!';

function configError(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      return error.message;
    }
    throw error;
  }
  throw new Error('the configuration was accepted');
}

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

  it('reads SYMBOL:ACTIVITY entries and refuses a malformed activity', () => {
    expect(loadConfig({ SYMBOLS: 'busy:2000,QUIET:0.5' }).SYMBOLS).toEqual([
      'BUSY:2000',
      'QUIET:0.5',
    ]);
    expect(() => loadConfig({ SYMBOLS: 'BUSY:fast' })).toThrow(/SYMBOLS/);
  });

  it('bounds the symbol universe by MAX_SYMBOLS, SYMBOLS within it, naming a long list briefly', () => {
    expect(loadConfig({}).MAX_SYMBOLS).toBe(10_000);
    expect(loadConfig({ SYMBOLS: 'A,B,C', MAX_SYMBOLS: '3' }).MAX_SYMBOLS).toBe(3);
    expect(configError({ SYMBOLS: 'A,B,C', MAX_SYMBOLS: '2' })).toMatch(
      /SYMBOLS=.*: 3 symbols, more than MAX_SYMBOLS=2/,
    );
    const many = Array.from({ length: 12_000 }, (_, i) => `S${i}`).join(',');
    const message = configError({ SYMBOLS: many });
    expect(message).toMatch(/SYMBOLS=.*: 12000 symbols, more than MAX_SYMBOLS=10000/);
    expect(message.length).toBeLessThan(400);
    expect(configError({ MAX_SYMBOLS: '0' })).toContain('MAX_SYMBOLS="0"');
  });

  it('reads a bound of bars per interval, and refuses an unknown interval or one given twice', () => {
    expect(loadConfig({}).CANDLE_HISTORY_BY_INTERVAL).toEqual({});
    expect(loadConfig({ CANDLE_HISTORY_BY_INTERVAL: '1s=3600, 1d=730' })).toMatchObject({
      CANDLE_HISTORY_BY_INTERVAL: { '1s': 3600, '1d': 730 },
    });
    for (const bad of ['2m=10', '1s=10,1s=20', '1d=0', '1h=1000000', '1d']) {
      expect(configError({ CANDLE_HISTORY_BY_INTERVAL: bad })).toContain(
        `CANDLE_HISTORY_BY_INTERVAL="${bad}"`,
      );
    }
  });

  it('refuses MARKET_HOURS that never open: overnight or empty', () => {
    expect(loadConfig({ MARKET_HOURS: '09:30-16:00 America/New_York' }).MARKET_HOURS).toBe(
      '09:30-16:00 America/New_York',
    );
    expect(configError({ MARKET_HOURS: '22:00-06:00 Europe/London' })).toContain(
      'MARKET_HOURS="22:00-06:00 Europe/London"',
    );
    expect(configError({ MARKET_HOURS: '10:00-10:00 Europe/London' })).toContain(
      'MARKET_HOURS="10:00-10:00 Europe/London"',
    );
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

  it('needs exactly one verification key for STREAM_AUTH=jwt, and never prints the secret', () => {
    expect(loadConfig({}).STREAM_AUTH).toBe('none');
    expect(configError({ STREAM_AUTH: 'jwt' })).toContain('STREAM_AUTH="jwt"');
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(configError({ STREAM_AUTH: 'jwt', JWT_SECRET: SECRET, JWT_PUBLIC_KEY: pem })).toContain(
      'exactly one of JWT_SECRET',
    );
    const short = configError({ STREAM_AUTH: 'jwt', JWT_SECRET: 'hunter2' });
    expect(short).toContain('JWT_SECRET=(hidden)');
    expect(short).not.toContain('hunter2');
    expect(loadConfig({ STREAM_AUTH: 'jwt', JWT_SECRET: SECRET }).JWT_SECRET).toBe(SECRET);
  });

  it('accepts RSA and P-256 public keys, also with escaped newlines, and refuses others', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    const oneLine = rsa.trim().replace(/\n/g, '\\n');
    expect(loadConfig({ STREAM_AUTH: 'jwt', JWT_PUBLIC_KEY: oneLine }).JWT_PUBLIC_KEY).toBe(
      rsa.trim(),
    );
    const ed25519 = generateKeyPairSync('ed25519')
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    expect(configError({ STREAM_AUTH: 'jwt', JWT_PUBLIC_KEY: ed25519 })).toContain(
      'JWT_PUBLIC_KEY=',
    );
    expect(configError({ JWT_PUBLIC_KEY: 'not a key' })).toContain('must be a PEM public key');
  });

  it('reads limits, the CORS allowlist and the shutdown grace', () => {
    expect(loadConfig({})).toMatchObject({
      MAX_CONNECTIONS: 10_000,
      MAX_CONNECTIONS_PER_CLIENT: 100,
      CORS_ORIGINS: [],
      SHUTDOWN_GRACE_MS: 10_000,
    });
    expect(
      loadConfig({ CORS_ORIGINS: 'https://a.example, http://localhost:5173' }).CORS_ORIGINS,
    ).toEqual(['https://a.example', 'http://localhost:5173']);
    expect(loadConfig({ CORS_ORIGINS: '*' }).CORS_ORIGINS).toEqual(['*']);
    for (const bad of [
      'https://a.example/',
      'a.example',
      'ftp://a.example',
      'https://a.example,',
    ]) {
      expect(configError({ CORS_ORIGINS: bad })).toContain(`CORS_ORIGINS=${JSON.stringify(bad)}`);
    }
    expect(configError({ MAX_CONNECTIONS: '-1' })).toContain('MAX_CONNECTIONS="-1"');
  });

  it('refuses a feed or edge role without the Redis bus, and a short ingest token', () => {
    expect(() => loadConfig({ ROLE: 'edge' })).toThrow(/ROLE="edge".*BUS=redis/);
    expect(loadConfig({ ROLE: 'feed', BUS: 'redis' })).toMatchObject({
      ROLE: 'feed',
      BUS: 'redis',
    });
    expect(() => loadConfig({ INGEST_TOKEN: 'short' })).toThrow(/INGEST_TOKEN=\(hidden\)/);
    expect(() => loadConfig({ INGEST_MAX_BYTES: '10000001' })).toThrow(
      /INGEST_MAX_BYTES="10000001"/,
    );
    expect(() => loadConfig({ ALLOW_NEW_SYMBOLS: 'yes' })).toThrow(/ALLOW_NEW_SYMBOLS="yes"/);
    expect(() => loadConfig({ REDIS_URL: 'http://x' })).toThrow(/REDIS_URL="http:\/\/x"/);
  });

  it('bounds the time a request may take to arrive, its head within the whole', () => {
    expect(loadConfig({})).toMatchObject({
      HEADERS_TIMEOUT_MS: 10_000,
      REQUEST_TIMEOUT_MS: 30_000,
    });
    expect(loadConfig({ HEADERS_TIMEOUT_MS: '5000', REQUEST_TIMEOUT_MS: '5000' })).toMatchObject({
      HEADERS_TIMEOUT_MS: 5_000,
      REQUEST_TIMEOUT_MS: 5_000,
    });
    expect(configError({ HEADERS_TIMEOUT_MS: '20000', REQUEST_TIMEOUT_MS: '10000' })).toContain(
      'HEADERS_TIMEOUT_MS must not be above REQUEST_TIMEOUT_MS',
    );
    expect(configError({ REQUEST_TIMEOUT_MS: '0' })).toContain('REQUEST_TIMEOUT_MS="0"');
  });

  it("reads TRUST_PROXY as Express's trust proxy, with false meaning false", () => {
    expect(loadConfig({}).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'false' }).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(
      loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::1,192.168.1.0/255.255.255.0' })
        .TRUST_PROXY,
    ).toEqual(['loopback', '10.0.0.0/8', 'fd00::1', '192.168.1.0/255.255.255.0']);
    for (const bad of ['yes', '10.0.0.0/33', 'loopback,', '10.0.0.1,nginx', '-1', '1000']) {
      expect(configError({ TRUST_PROXY: bad })).toContain(`TRUST_PROXY=${JSON.stringify(bad)}`);
    }
  });

  it('reads HOST as an address or a host name, and HSTS_MAX_AGE', () => {
    expect(loadConfig({}).HOST).toBeUndefined();
    for (const host of ['127.0.0.1', '::', '::1', 'localhost', 'edge-1.internal']) {
      expect(loadConfig({ HOST: host }).HOST).toBe(host);
    }
    for (const bad of ['[::1]', '127.0.0.1:3000', 'http://localhost', 'a b']) {
      expect(configError({ HOST: bad })).toContain(`HOST=${JSON.stringify(bad)}`);
    }
    expect(loadConfig({}).HSTS_MAX_AGE).toBe(31_536_000);
    expect(loadConfig({ HSTS_MAX_AGE: '0' }).HSTS_MAX_AGE).toBe(0);
    expect(configError({ HSTS_MAX_AGE: 'year' })).toContain('HSTS_MAX_AGE="year"');
  });
});
