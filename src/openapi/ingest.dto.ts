import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  MAX_STATUS_REASON_LENGTH,
  TICK_KINDS,
  TRADING_STATES,
  type EventId,
  type SessionBody,
  type TickKind,
  type TradingState,
} from '@tickstream/client/contract';
import { DayFiguresSchema } from './day-figures.dto.js';
import { ErrorBodyDto } from './error-bodies.dto.js';

// The bodies of POST /api/ticks, as the API document shows them. The ticks themselves are
// validated by IngestTickDto (market-data), whose fields the API document test compares with
// these.

/** One tick of a POST /api/ticks batch; the fields that may be left out have defaults. */
export class IngestTick {
  @ApiProperty({
    description:
      'A symbol this deployment serves (any ticker with ALLOW_NEW_SYMBOLS=true); case-insensitive',
    example: 'AAPL',
  })
  symbol!: string;

  @ApiProperty({ description: 'Last trade, in dollars; positive', example: 228.51 })
  price!: number;

  @ApiPropertyOptional({
    description: 'Best bid; defaults to the price; not above the ask',
    example: 228.5,
  })
  bid?: number;

  @ApiPropertyOptional({ description: 'Best ask; defaults to the price', example: 228.52 })
  ask?: number;

  @ApiPropertyOptional({
    enum: TICK_KINDS,
    description:
      'trade (size above 0) or quote (the bid or ask alone changed, size 0); by default a trade when size is above 0',
    example: 'trade',
  })
  kind?: TickKind;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    description: 'Shares traded; defaults to 0 (a quote update)',
    example: 100,
  })
  size?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    description: 'Shares bid for at the bid; defaults to 0 (not known)',
    example: 300,
  })
  bidSize?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    description: 'Shares offered at the ask; defaults to 0 (not known)',
    example: 500,
  })
  askSize?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    description: 'Milliseconds since the epoch; defaults to when the batch arrives',
  })
  ts?: number;
}

export class IngestAccepted {
  @ApiProperty({
    type: [String],
    description: 'The event ids given to the ticks, in the order sent',
    example: ['1795608150708-0'],
  })
  ids!: EventId[];
}

/** The 400 of POST /api/ticks: the field at fault in the batch, and what it held. */
export class IngestFieldErrorDto extends ErrorBodyDto {
  @ApiProperty({
    description:
      'What the field held, as sent (a number stays a number), or the first 200 characters of a line or body that is not JSON; null for a property that should not exist',
    oneOf: [
      { type: 'string' },
      { type: 'number' },
      { type: 'boolean' },
      { type: 'object' },
      { type: 'array', items: {} },
    ],
    nullable: true,
    example: 'x',
  })
  value!: unknown;
}

/** The body of POST /api/status. */
export class StatusRequestDto {
  @ApiProperty({
    description: 'A symbol this deployment serves; case-insensitive',
    example: 'AAPL',
  })
  symbol!: string;

  @ApiProperty({ enum: TRADING_STATES, example: 'halted' })
  state!: TradingState;

  @ApiPropertyOptional({
    type: 'string',
    nullable: true,
    maxLength: MAX_STATUS_REASON_LENGTH,
    description: 'Why, in a line of printable text',
    example: 'LULD pause',
  })
  reason?: string | null;
}

export class StatusAccepted {
  @ApiProperty({
    type: 'string',
    description: 'The event id of the change',
    example: '1795608150708-0',
  })
  id!: EventId;
}

/** The body of POST /api/symbols/{symbol}/session. */
export class SessionRequestDto implements SessionBody {
  @ApiProperty({
    description: 'The last trade of the session before: change is measured from it',
    example: 224.9,
  })
  previousClose!: number;

  @ApiPropertyOptional({
    description: 'For a session under way: its first trade (with high and low)',
    example: 226.1,
  })
  open?: number;

  @ApiPropertyOptional({ description: 'With open and low', example: 229.8 })
  high?: number;

  @ApiPropertyOptional({ description: 'With open and high', example: 225.7 })
  low?: number;

  @ApiPropertyOptional({
    type: 'integer',
    description: 'Shares traded so far (with open, high and low); 0 by default',
    example: 1_284_300,
  })
  volume?: number;

  @ApiPropertyOptional({
    type: 'integer',
    description: 'When the last trade so far was made, ms since the epoch (with open, high, low)',
    example: 1795608150708,
  })
  lastTradeTs?: number;
}

export class SessionAccepted {
  @ApiProperty({ example: 'AAPL' })
  symbol!: string;

  @ApiProperty({ type: DayFiguresSchema, description: 'The day as it begins' })
  day!: DayFiguresSchema;
}

/** One bar of a POST /api/symbols/{symbol}/candles body. */
export class IngestCandle {
  @ApiProperty({
    type: 'integer',
    description: "The bar's start, in seconds since the epoch, on the interval's grid",
    example: 1795608120,
  })
  time!: number;

  @ApiProperty({ example: 228.41 })
  open!: number;

  @ApiProperty({ example: 228.5 })
  high!: number;

  @ApiProperty({ example: 228.39 })
  low!: number;

  @ApiProperty({ example: 228.46 })
  close!: number;

  @ApiProperty({ type: 'integer', minimum: 0, example: 48200 })
  volume!: number;
}

export class CandlesAccepted {
  @ApiProperty({ example: 'AAPL' })
  symbol!: string;

  @ApiProperty({ enum: ['1s', '1m', '5m', '15m', '1h', '1d'], example: '1m' })
  interval!: string;

  @ApiProperty({
    type: 'integer',
    description:
      'The bars taken: a bar made of ticks wins over a posted one of its time, and a full history leaves out bars older than all it keeps',
    example: 390,
  })
  taken!: number;
}
