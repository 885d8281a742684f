import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { QuoteDto } from '../market-data/quote.dto.js';

// The frames of GET /api/stream, for the API document: each property is an SSE field
// (`event:`, `id:`, `retry:`, `data:` with JSON), not a JSON object on the wire.

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

export class SnapshotData {
  @ApiProperty({ type: [QuoteDto], description: 'The latest quote of each subscribed symbol' })
  quotes!: QuoteDto[];
}

export class ResetData {
  @ApiProperty({ description: 'The id the client asked to resume from', example: '1-0' })
  lastEventId!: string;

  @ApiProperty({ example: 'the last event id is unknown or older than the retained history' })
  reason!: string;
}

/** Opens a fresh stream (and follows a reset): the latest quote of every subscribed symbol. */
export class SnapshotFrame {
  @ApiProperty({ enum: ['snapshot'] })
  event!: 'snapshot';

  @ApiProperty(ID)
  id!: string;

  @ApiPropertyOptional(RETRY)
  retry?: number;

  @ApiProperty({ type: SnapshotData })
  data!: SnapshotData;
}

/** One quote; under a throttle, the latest of its symbol's window. */
export class TickFrame {
  @ApiProperty({ enum: ['tick'] })
  event!: 'tick';

  @ApiProperty(ID)
  id!: string;

  @ApiProperty({ type: QuoteDto })
  data!: QuoteDto;
}

/** Opens a stream whose resume point is no longer covered: ticks were missed; a snapshot follows. */
export class ResetFrame {
  @ApiProperty({ enum: ['reset'] })
  event!: 'reset';

  @ApiProperty({ ...ID, description: "The client's own last event id, repeated" })
  id!: string;

  @ApiProperty(RETRY)
  retry!: number;

  @ApiProperty({ type: ResetData })
  data!: ResetData;
}

/** Opens a resumed stream, or one asked with snapshot=false: an id and a retry, no data. */
export class OpeningFrame {
  @ApiProperty(ID)
  id!: string;

  @ApiProperty(RETRY)
  retry!: number;
}
