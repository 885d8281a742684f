import { applyDecorators } from '@nestjs/common';
import { IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { SYMBOL_PATTERN, TICK_KINDS, type TickKind } from '@tickstream/client/contract';
import { TICK_BOUNDS } from './tick-bounds.js';

/** Any letter case: the symbol is upper-cased once it passes. */
const SYMBOL_ANY_CASE = new RegExp(SYMBOL_PATTERN.source, 'i');

/** A price, bid or ask: a JSON number within TICK_BOUNDS. */
export const IsPrice = () =>
  applyDecorators(
    IsNumber({ allowNaN: false, allowInfinity: false }),
    Min(TICK_BOUNDS.minPrice),
    Max(TICK_BOUNDS.maxPrice),
  );

/**
 * One tick of POST /api/ticks. Numbers must be JSON numbers: "12.5" is refused, not converted.
 * What needs the time of arrival or another field (`ts`, the price within bid and ask) is
 * checked by parseTickBatch.
 */
export class IngestTickDto {
  @IsString()
  @Matches(SYMBOL_ANY_CASE, { message: 'must be a ticker like AAPL or BRK.B' })
  symbol!: string;

  @IsPrice() price!: number;

  /** Defaults to the price. */
  @IsOptional() @IsPrice() bid?: number;

  /** Defaults to the price. */
  @IsOptional() @IsPrice() ask?: number;

  /** A trade, or the quote alone; by default a trade when `size` is above 0. */
  @IsOptional() @IsIn(TICK_KINDS) kind?: TickKind;

  /** Shares traded; defaults to 0 (a quote update, not a trade). */
  @IsOptional() @IsInt() @Min(0) @Max(TICK_BOUNDS.maxSize) size?: number;

  /** Shares bid for at the bid; 0 (not known) by default. */
  @IsOptional() @IsInt() @Min(0) @Max(TICK_BOUNDS.maxSize) bidSize?: number;

  /** Shares offered at the ask; 0 (not known) by default. */
  @IsOptional() @IsInt() @Min(0) @Max(TICK_BOUNDS.maxSize) askSize?: number;

  /** Ms since the epoch when the tick was made; defaults to when it arrives. */
  @IsOptional() @IsInt() ts?: number;
}
