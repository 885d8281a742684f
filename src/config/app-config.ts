import 'reflect-metadata';
import { Expose, plainToInstance, Transform } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsIn,
  IsInt,
  IsOptional,
  Matches,
  Max,
  Min,
  validateSync,
} from 'class-validator';

const SYMBOL = /^[A-Z][A-Z0-9.-]{0,9}$/;

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
  @Matches(SYMBOL, {
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
}

export class ConfigError extends Error {}

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
        (message) => `  ${error.property}=${JSON.stringify(env[error.property])}: ${message}`,
      ),
    );
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  return config;
}
