import 'reflect-metadata';
import { Expose, plainToInstance, Transform } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsIn,
  IsInt,
  IsOptional,
  Matches,
  Max,
  MinLength,
  Min,
  ValidateBy,
  validateSync,
} from 'class-validator';
import { SYMBOL_PATTERN } from '../market-data/symbol-universe.js';

/** Everything the process reads from its environment, validated once at start. */
export class AppConfig {
  @Expose() @IsInt() @Min(0) @Max(65535) PORT: number = 3000;

  /** Comma-separated symbols to trade; defaults to the built-in universe. */
  @Expose()
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.split(',').map((s) => s.trim().toUpperCase()) : value,
  )
  @ArrayNotEmpty()
  @Matches(SYMBOL_PATTERN, {
    each: true,
    message: 'SYMBOLS must be comma-separated tickers like AAPL,BRK.B',
  })
  SYMBOLS?: string[];

  @Expose() @IsIn(['simulated', 'none']) FEED: 'simulated' | 'none' = 'simulated';
  @Expose() @IsInt() @Min(0) @Max(1_000_000) TICKS_PER_SECOND: number = 50;
  @Expose() @IsOptional() @IsInt() @Min(0) FEED_SEED?: number;
  @Expose() @IsInt() @Min(1) @Max(10_000_000) HISTORY_SIZE: number = 100_000;
  @Expose() @IsInt() @Min(10) @Max(3_600_000) HEARTBEAT_MS: number = 15_000;
  @Expose() @IsInt() @Min(0) @Max(3_600_000) RETRY_MS: number = 2_000;
  @Expose() @IsInt() @Min(1) @Max(1000) MAX_SYMBOLS_PER_STREAM: number = 50;
  @Expose() @IsInt() @Min(1) @Max(100_000) CANDLE_HISTORY: number = 1_000;
  @Expose() @IsIn(['text', 'json']) LOG_FORMAT: 'text' | 'json' = 'text';

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
  @Expose() @IsInt() @Min(1024) @Max(100_000_000) INGEST_MAX_BYTES: number = 1_000_000;
}

export class ConfigError extends Error {}

/** Variables whose values are never echoed in an error message. */
const SECRETS = new Set(['INGEST_TOKEN']);

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
          `  ${error.property}=${SECRETS.has(error.property) ? '(hidden)' : JSON.stringify(env[error.property])}: ${message}`,
      ),
    );
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  return config;
}
