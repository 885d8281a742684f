import 'reflect-metadata';
import { Expose, plainToInstance, Transform } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MinLength,
  Min,
  ValidateBy,
  validateSync,
} from 'class-validator';
import {
  HasOneVerificationKey,
  IsHost,
  IsJwtPublicKey,
  IsMarketHours,
  IsOriginList,
  IsTrustProxy,
} from './config-validators.js';
import {
  IsCandleHistoryByInterval,
  MAX_CANDLE_HISTORY,
  readCandleHistory,
  type CandleHistoryByInterval,
} from './candle-history.js';
import { normalisePem } from './jwt-public-key.js';
import { readTrustProxy, type TrustProxy } from './trust-proxy.js';

/** A SYMBOLS entry: a ticker, optionally with its activity, as in `BUSY:2000`. */
const SYMBOL_ENTRY_PATTERN = /^[A-Z][A-Z0-9.-]{0,9}(:\d{1,9}(\.\d{1,6})?)?$/;

/** HS256 keys shorter than the 256-bit hash are easier to guess than the signature to forge. */
export const MIN_SECRET_LENGTH = 32;

const commaSeparated =
  (normalise: (entry: string) => string) =>
  ({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.split(',').map((entry) => normalise(entry.trim())) : value;

/** Everything the process reads from its environment, validated once at start. */
export class AppConfig {
  @Expose() @IsInt() @Min(0) @Max(65535) PORT: number = 3000;
  /** The address to listen on; every interface when unset. */
  @Expose() @IsOptional() @IsHost() HOST?: string;
  /**
   * Whose `X-Forwarded-For` and `X-Forwarded-Proto` to believe, as Express's `trust proxy`:
   * `false`, `true`, a hop count, or comma-separated addresses, CIDRs and the names `loopback`,
   * `linklocal`, `uniquelocal`.
   */
  @Expose()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? readTrustProxy(value) : value,
  )
  @IsTrustProxy()
  TRUST_PROXY: TrustProxy = false;
  /**
   * `Strict-Transport-Security` max-age in seconds (with includeSubDomains), sent only on requests
   * that came over HTTPS, as a trusted proxy says; 0 sends none.
   */
  @Expose() @IsInt() @Min(0) @Max(1_000_000_000) HSTS_MAX_AGE: number = 31_536_000;

  /**
   * Comma-separated symbols to trade; defaults to the built-in universe. `SYMBOL:ACTIVITY` sets
   * a symbol's relative share of the simulated ticks.
   */
  @Expose()
  @IsOptional()
  @Transform(commaSeparated((symbol) => symbol.toUpperCase()))
  @ArrayNotEmpty()
  @Matches(SYMBOL_ENTRY_PATTERN, {
    each: true,
    message: 'SYMBOLS must be comma-separated tickers like AAPL,BRK.B, each optionally :ACTIVITY',
  })
  @ValidateBy({
    name: 'symbolsWithinMax',
    validator: {
      validate: (symbols: unknown, args) =>
        !Array.isArray(symbols) ||
        distinctSymbols(symbols) <= ((args?.object as AppConfig | undefined)?.MAX_SYMBOLS ?? 0),
      defaultMessage: (args) =>
        `${Array.isArray(args?.value) ? distinctSymbols(args.value) : 0} symbols, more than ` +
        `MAX_SYMBOLS=${(args?.object as AppConfig | undefined)?.MAX_SYMBOLS}`,
    },
  })
  SYMBOLS?: string[];
  /**
   * The most symbols the deployment holds, configured and ingested: each costs every instance
   * memory (its bars, quote and state, ~3 KB) for as long as it runs. Ingestion refuses a new
   * symbol past it.
   */
  @Expose() @IsInt() @Min(1) @Max(1_000_000) MAX_SYMBOLS: number = 10_000;

  @Expose() @IsIn(['simulated', 'none']) FEED: 'simulated' | 'none' = 'simulated';
  @Expose() @IsInt() @Min(0) @Max(1_000_000) TICKS_PER_SECOND: number = 50;
  /**
   * On the Redis bus one simulated feed writes at a time: it holds a lease in Redis for this long,
   * renewed every third of it; a standby takes over within about this long once the holder dies.
   */
  @Expose() @IsInt() @Min(300) @Max(600_000) FEED_LEASE_MS: number = 5_000;
  @Expose() @IsOptional() @IsInt() @Min(0) FEED_SEED?: number;
  @Expose() @IsInt() @Min(1) @Max(10_000_000) HISTORY_SIZE: number = 100_000;
  @Expose() @IsInt() @Min(10) @Max(3_600_000) HEARTBEAT_MS: number = 15_000;
  @Expose() @IsInt() @Min(0) @Max(3_600_000) RETRY_MS: number = 2_000;
  @Expose() @IsInt() @Min(1) @Max(1000) MAX_SYMBOLS_PER_STREAM: number = 50;
  /** Bars kept per symbol at each interval, unless CANDLE_HISTORY_BY_INTERVAL says otherwise. */
  @Expose() @IsInt() @Min(1) @Max(MAX_CANDLE_HISTORY) CANDLE_HISTORY: number = 1_000;
  /**
   * Bars kept per symbol at some intervals, as `1s=3600,1d=730`: so that keeping years of days
   * does not keep as many seconds.
   */
  @Expose()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? (readCandleHistory(value) ?? value) : value,
  )
  @IsCandleHistoryByInterval()
  CANDLE_HISTORY_BY_INTERVAL: CandleHistoryByInterval = {};
  @Expose() @IsIn(['text', 'json']) LOG_FORMAT: 'text' | 'json' = 'text';

  /** When the simulated market trades: `always`, or like `09:30-16:00 America/New_York`. */
  @Expose() @IsMarketHours() MARKET_HOURS: string = 'always';
  /** The simulated market halts a symbol that moves more than this many percent... */
  @Expose() @IsNumber() @Min(0.1) @Max(100) LULD_BAND_PCT: number = 5;
  /** ...from where it traded this long before... */
  @Expose() @IsInt() @Min(1_000) @Max(86_400_000) LULD_WINDOW_MS: number = 300_000;
  /** ...for this long. */
  @Expose() @IsInt() @Min(100) @Max(86_400_000) LULD_HALT_MS: number = 60_000;
  /** Jumps (news) per symbol per hour in the simulated market, on average. */
  @Expose() @IsNumber() @Min(0) @Max(3_600) NEWS_JUMPS_PER_HOUR: number = 1;

  @Expose() @IsIn(['memory', 'redis']) BUS: 'memory' | 'redis' = 'memory';
  @Expose()
  @Matches(/^rediss?:\/\/\S+$/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL: string = 'redis://127.0.0.1:6379';
  /** Every Redis key starts with `<REDIS_PREFIX>:`, so deployments can share a server. */
  @Expose()
  @Matches(/^[\w.:-]{1,64}$/, { message: 'REDIS_PREFIX must be 1-64 letters, digits or _.:-' })
  REDIS_PREFIX: string = 'tickstream';
  /** `feed` runs the simulated market, `edge` serves streams, `all` does both. */
  @Expose()
  @IsIn(['all', 'feed', 'edge'])
  @ValidateBy({
    name: 'roleNeedsRedis',
    validator: {
      validate: (role: unknown, args) =>
        role === 'all' || (args?.object as AppConfig | undefined)?.BUS === 'redis',
      defaultMessage: () => 'ROLE=feed and ROLE=edge share ticks through Redis: set BUS=redis',
    },
  })
  ROLE: 'all' | 'feed' | 'edge' = 'all';

  /** Bearer token of POST /api/ticks; without it ingestion answers 503. */
  @Expose() @IsOptional() @MinLength(16) INGEST_TOKEN?: string;
  /** `true` lets ingestion bring symbols outside SYMBOLS, and streams serve them. */
  @Expose() @IsIn(['true', 'false']) ALLOW_NEW_SYMBOLS: 'true' | 'false' = 'false';
  /**
   * Largest POST /api/ticks body. At most 10 MB: that is up to 400,000 ticks, which Redis took
   * 3 s to append in one transaction, within its commands' 5 s timeout. A batch that overran it
   * would get 503 while Redis still appended it whole.
   */
  @Expose() @IsInt() @Min(1024) @Max(10_000_000) INGEST_MAX_BYTES: number = 1_000_000;

  /** `jwt`: every stream and market-data request needs a token; see src/auth. */
  @Expose() @IsIn(['none', 'jwt']) @HasOneVerificationKey() STREAM_AUTH: 'none' | 'jwt' = 'none';
  /** HS256 key. */
  @Expose() @IsOptional() @IsString() @MinLength(MIN_SECRET_LENGTH) JWT_SECRET?: string;
  /** PEM of an RSA (RS256) or EC P-256 (ES256) public key. */
  @Expose()
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? normalisePem(value) : value,
  )
  @IsJwtPublicKey()
  JWT_PUBLIC_KEY?: string;

  /** Open streams in the whole process; 0 = no limit. */
  @Expose() @IsInt() @Min(0) MAX_CONNECTIONS: number = 10_000;
  /** Open streams per token subject, or per IP address without one; 0 = no limit. */
  @Expose() @IsInt() @Min(0) MAX_CONNECTIONS_PER_CLIENT: number = 100;
  /** Resuming streams whose history is read at once; the others wait their turn. */
  @Expose() @IsInt() @Min(1) @Max(1000) MAX_CONCURRENT_REPLAYS: number = 4;
  /** A client that stops reading is cut off once this much is waiting for it... */
  @Expose() @IsInt() @Min(16_384) @Max(1_073_741_824) SLOW_CLIENT_MAX_BYTES: number = 1_048_576;
  /** ...or once its socket has not drained for this long. */
  @Expose() @IsInt() @Min(100) @Max(3_600_000) SLOW_CLIENT_MAX_MS: number = 10_000;
  /** REST requests one IP address may make per REST_RATE_WINDOW_MS. */
  @Expose() @IsInt() @Min(1) REST_RATE_LIMIT: number = 300;
  @Expose() @IsInt() @Min(100) @Max(3_600_000) REST_RATE_WINDOW_MS: number = 60_000;
  /** POST /api/ticks requests one ingest token may make per INGEST_RATE_WINDOW_MS. */
  @Expose() @IsInt() @Min(1) INGEST_RATE_LIMIT: number = 6_000;
  /** POST /api/status requests one ingest token may make per INGEST_RATE_WINDOW_MS. */
  @Expose() @IsInt() @Min(1) STATUS_RATE_LIMIT: number = 600;
  @Expose() @IsInt() @Min(100) @Max(3_600_000) INGEST_RATE_WINDOW_MS: number = 60_000;

  /** Other origins whose pages may call the API; `*` for any. The service's own always may. */
  @Expose() @Transform(commaSeparated((origin) => origin)) @IsOriginList() CORS_ORIGINS: string[] =
    [];

  /** A request's head must arrive within this... */
  @Expose()
  @IsInt()
  @Min(1_000)
  @Max(600_000)
  @ValidateBy({
    name: 'headersWithinRequest',
    validator: {
      validate: (headers: unknown, args) =>
        typeof headers === 'number' &&
        headers <= ((args?.object as AppConfig | undefined)?.REQUEST_TIMEOUT_MS ?? Infinity),
      defaultMessage: () => 'HEADERS_TIMEOUT_MS must not be above REQUEST_TIMEOUT_MS',
    },
  })
  HEADERS_TIMEOUT_MS: number = 10_000;
  /** ...and the whole request, body included, within this; else 408. Streams are not affected. */
  @Expose() @IsInt() @Min(1_000) @Max(3_600_000) REQUEST_TIMEOUT_MS: number = 30_000;

  /** How long SIGTERM may take: streams end at once, stragglers are cut when it runs out. */
  @Expose() @IsInt() @Min(100) @Max(600_000) SHUTDOWN_GRACE_MS: number = 10_000;
}

export class ConfigError extends Error {}

/** Variables whose values are never echoed in an error message. */
const SECRETS = new Set(['INGEST_TOKEN', 'JWT_SECRET']);
/** A value echoed in an error message is cut to this many characters: a list may be long. */
const ECHOED_CHARS = 80;

/** The symbols of SYMBOLS entries (`AAPL:5`), counted once each. */
function distinctSymbols(entries: unknown[]): number {
  return new Set(entries.map((entry) => String(entry).split(':')[0])).size;
}

function echoed(name: string, value: string | undefined): string {
  if (SECRETS.has(name)) {
    return '(hidden)';
  }
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > ECHOED_CHARS
    ? `${text.slice(0, ECHOED_CHARS)}... (${text.length} chars)`
    : text;
}

/** Builds the config from `env`; throws ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const config = plainToInstance(AppConfig, present, {
    excludeExtraneousValues: true,
    exposeDefaultValues: true,
    enableImplicitConversion: true,
  });
  const errors = validateSync(config);
  if (errors.length > 0) {
    const lines = errors.flatMap((error) =>
      Object.values(error.constraints ?? {}).map(
        (message) =>
          `  ${error.property}=${echoed(error.property, env[error.property])}: ${message}`,
      ),
    );
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  return config;
}
