import {
  ApiProperty,
  ApiPropertyOptional,
  ApiSchema,
  type ApiPropertyOptions,
} from '@nestjs/swagger';
import {
  CANDLE_INTERVALS,
  STREAM_ERROR_REASONS,
  STREAM_EVENTS,
  TRADING_STATES,
  type BarData,
  type CandleInterval,
  type ErrorData,
  type ResetData,
  type SnapshotData,
  type SnapshotQuote,
  type StatusData,
  type StreamErrorReason,
  type TradingState,
} from '@tickstream/client/contract';
import { CandleDto } from '../market-data/candle.dto.js';
import { DayFiguresSchema, STANDING_PROPERTIES } from '../openapi/day-figures.dto.js';
import { QuoteDto } from '../market-data/quote.dto.js';
import { enumDescription } from '../openapi/enum-description.js';

// The frames of GET /api/stream, for the API document: each property is an SSE field (`event:`,
// `id:`, `retry:`, `data:` with JSON), not a JSON object on the wire. A class that documents a
// shape of the wire contract is named for it with `Schema`, and gives the document its name.

const ID: ApiPropertyOptions = {
  description:
    'Event id "<ms>-<seq>". Resuming from it (Last-Event-ID) never loses the latest price of a subscribed symbol',
  example: '1795608150708-0',
};
const RETRY: ApiPropertyOptions = {
  type: 'integer',
  description: 'Reconnect delay in ms; on the first frame of every stream',
  example: 2000,
};

const STATE: ApiPropertyOptions = {
  enum: TRADING_STATES,
  description: 'open; halted (limit up-limit down, or a feed) or closed (out of hours): no ticks',
  example: 'open',
};

@ApiSchema({ name: 'SnapshotQuote' })
export class SnapshotQuoteSchema extends QuoteDto implements SnapshotQuote {
  @ApiProperty(STATE)
  state!: TradingState;

  @ApiProperty(STANDING_PROPERTIES.stateReason)
  stateReason!: string | null;

  @ApiProperty(STANDING_PROPERTIES.stateSince)
  stateSince!: number | null;

  @ApiProperty(STANDING_PROPERTIES.day)
  day!: DayFiguresSchema;

  @ApiProperty(STANDING_PROPERTIES.sessionOpen)
  sessionOpen!: number | null;
}

@ApiSchema({ name: 'SnapshotData' })
export class SnapshotDataSchema implements SnapshotData {
  @ApiProperty({
    type: [SnapshotQuoteSchema],
    description: 'The latest quote of each subscribed symbol that has traded, with its state',
  })
  quotes!: SnapshotQuote[];
}

@ApiSchema({ name: 'BarData' })
export class BarDataSchema extends CandleDto implements BarData {
  @ApiProperty({ example: 'AAPL' })
  symbol!: string;

  @ApiProperty({ enum: Object.keys(CANDLE_INTERVALS), example: '1m' })
  interval!: CandleInterval;

  @ApiProperty({
    description:
      'true once the bar has closed (sent again if a late tick corrects it); a bar with the same symbol, interval and time replaces the one before',
  })
  final!: boolean;
}

@ApiSchema({ name: 'StatusData' })
export class StatusDataSchema implements StatusData {
  @ApiProperty({ example: 'AAPL' })
  symbol!: string;

  @ApiProperty(STATE)
  state!: TradingState;

  @ApiProperty({
    type: 'string',
    nullable: true,
    example: 'limit up-limit down: +5.3 % in 212 s (band 5 %)',
  })
  reason!: string | null;

  @ApiProperty({
    type: 'integer',
    description: 'Milliseconds since the epoch',
    example: 1795608150708,
  })
  ts!: number;
}

@ApiSchema({ name: 'ResetData' })
export class ResetDataSchema implements ResetData {
  @ApiProperty({ description: 'The id the client asked to resume from', example: '1-0' })
  lastEventId!: string;

  @ApiProperty({ example: 'the last event id is unknown or older than the retained history' })
  reason!: string;
}

/** What a client does after each `error`; a Record, so that a new reason must be described. */
const ERROR_REASONS: Record<StreamErrorReason, string> = {
  token_expired: 'the token expired: reconnect with a new one',
  history_gap: 'this instance missed ticks: reconnect; a reset follows',
  bus_unavailable: 'the bus is out of reach: reconnect after retry',
  internal_error: 'the server logged what happened: reconnect after retry',
};

@ApiSchema({ name: 'ErrorData' })
export class ErrorDataSchema implements ErrorData {
  @ApiProperty({
    enum: Object.values(STREAM_ERROR_REASONS),
    description: `Why the server ended the stream: ${enumDescription(ERROR_REASONS)}`,
    example: STREAM_ERROR_REASONS.tokenExpired,
  })
  reason!: StreamErrorReason;

  @ApiProperty({
    example: 'the token expired at 2026-11-25T12:00:00.000Z; reconnect with a new one',
  })
  message!: string;
}

/** Opens a fresh stream (and follows a reset): the latest quote of every subscribed symbol. */
export class SnapshotFrame {
  @ApiProperty({ enum: [STREAM_EVENTS.snapshot] })
  event!: typeof STREAM_EVENTS.snapshot;

  @ApiProperty(ID)
  id!: string;

  @ApiPropertyOptional(RETRY)
  retry?: number;

  @ApiProperty({ type: SnapshotDataSchema })
  data!: SnapshotData;
}

/** One quote; under a throttle, the latest of its symbol's window. */
export class TickFrame {
  @ApiProperty({ enum: [STREAM_EVENTS.tick] })
  event!: typeof STREAM_EVENTS.tick;

  @ApiProperty(ID)
  id!: string;

  @ApiProperty({ type: QuoteDto })
  data!: QuoteDto;
}

/**
 * With `bars=`: a bar of a subscribed symbol as it changes (under a throttle, at most once per
 * window), and once more, final, when it closes.
 */
export class BarFrame {
  @ApiProperty({ enum: [STREAM_EVENTS.bar] })
  event!: typeof STREAM_EVENTS.bar;

  @ApiProperty(ID)
  id!: string;

  @ApiProperty({ type: BarDataSchema })
  data!: BarData;
}

/** A subscribed symbol's trading state changed; never conflated away. */
export class StatusFrame {
  @ApiProperty({ enum: [STREAM_EVENTS.status] })
  event!: typeof STREAM_EVENTS.status;

  @ApiProperty(ID)
  id!: string;

  @ApiProperty({ type: StatusDataSchema })
  data!: StatusData;
}

/** Opens a stream whose resume point is no longer covered: ticks were missed; a snapshot follows. */
export class ResetFrame {
  @ApiProperty({ enum: [STREAM_EVENTS.reset] })
  event!: typeof STREAM_EVENTS.reset;

  @ApiProperty({ ...ID, description: "The client's own last event id, repeated" })
  id!: string;

  @ApiProperty(RETRY)
  retry!: number;

  @ApiProperty({ type: ResetDataSchema })
  data!: ResetData;
}

/** Opens a resumed stream, or one asked with snapshot=false: an id and a retry, no data. */
export class OpeningFrame {
  @ApiProperty(ID)
  id!: string;

  @ApiProperty(RETRY)
  retry!: number;
}

/**
 * The last frame of a stream the server ends on purpose. Its id is the last one the stream sent
 * (or the client's own resume point, before any): resuming from it loses nothing.
 */
export class ErrorFrame {
  @ApiProperty({ enum: [STREAM_EVENTS.error] })
  event!: typeof STREAM_EVENTS.error;

  @ApiProperty({ ...ID, description: 'The id of the last frame sent, repeated' })
  id!: string;

  @ApiProperty({ type: ErrorDataSchema })
  data!: ErrorData;
}
