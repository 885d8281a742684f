import {
  IsInt,
  IsNumber,
  IsOptional,
  IsPositive,
  IsString,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { SYMBOL_PATTERN } from '@tickstream/client/contract';

const FINITE = { allowNaN: false, allowInfinity: false };
/** The largest time a JavaScript Date can hold, in ms since the epoch. */
const MAX_TS = 8.64e15;

/** Any letter case: the symbol is upper-cased once it passes. */
const SYMBOL_ANY_CASE = new RegExp(SYMBOL_PATTERN.source, 'i');

/** One tick of POST /api/ticks. Numbers must be JSON numbers: "12.5" is refused, not converted. */
export class IngestTickDto {
  @IsString()
  @Matches(SYMBOL_ANY_CASE, { message: 'must be a ticker like AAPL or BRK.B' })
  symbol!: string;

  @IsNumber(FINITE) @IsPositive() price!: number;

  /** Defaults to the price. */
  @IsOptional() @IsNumber(FINITE) @IsPositive() bid?: number;

  /** Defaults to the price. */
  @IsOptional() @IsNumber(FINITE) @IsPositive() ask?: number;

  /** Shares traded; defaults to 0 (a quote update, not a trade). */
  @IsOptional() @IsInt() @Min(0) size?: number;

  /** Ms since the epoch when the tick was made; defaults to when it arrives. */
  @IsOptional() @IsInt() @Min(0) @Max(MAX_TS) ts?: number;
}
