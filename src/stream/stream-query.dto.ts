import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CANDLE_INTERVALS,
  MAX_EVENT_ID_LENGTH,
  MAX_SINCE_SKEW_MS,
  MAX_THROTTLE_MS,
} from '@tickstream/client/contract';
import { IsIn, IsNotEmpty, IsOptional, IsString } from 'class-validator';
import { AccessTokenQueryDto } from '../auth/access-token-query.dto.js';
import { IsBarIntervals } from '../validation/is-bar-intervals.js';
import { IsEventId } from '../validation/is-event-id.js';
import { IsInstant } from '../validation/instant.js';
import { IsIntegerString } from '../validation/is-integer-string.js';

/** GET /api/stream query. Values stay strings here; the controller turns them into a request. */
export class StreamQueryDto extends AccessTokenQueryDto {
  @ApiProperty({
    description:
      'Comma-separated, case-insensitive known symbols, at most MAX_SYMBOLS_PER_STREAM (50 by default); `*` for every symbol (with STREAM_AUTH=jwt, a token whose symbols is "*")',
    example: 'AAPL,MSFT',
  })
  @IsString()
  @IsNotEmpty()
  symbols!: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: MAX_THROTTLE_MS,
    default: 0,
    description:
      'Milliseconds: at most one event per symbol per window, the latest price always delivered; 0 sends every tick',
  })
  @IsOptional()
  @IsIntegerString(0, MAX_THROTTLE_MS)
  throttle?: string;

  @ApiPropertyOptional({
    type: 'boolean',
    default: true,
    description: '`false` skips the snapshot that opens a fresh stream',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  snapshot?: string;

  @ApiPropertyOptional({
    type: 'boolean',
    default: true,
    description:
      '`false` ends the stream once it has caught up: after its snapshot, or the replay of what it missed, without going live. For clients that read a response only once it ends, such as "Try it out" here',
    example: false,
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  live?: string;

  @ApiPropertyOptional({
    maxLength: MAX_EVENT_ID_LENGTH,
    pattern: '^\\d{1,16}-\\d{1,16}$',
    description:
      'Resume point, an event id, for clients that cannot send the Last-Event-ID header (which wins). Leave it empty for a fresh stream: an id older than history answers `reset` and a snapshot',
  })
  @IsOptional()
  @IsEventId()
  lastEventId?: string;

  @ApiPropertyOptional({
    description:
      'With a resume point: the symbols it was received for, comma-separated (or `*`). The symbols of `symbols` not among them are added: they open with one `snapshot` event of their latest quotes, then their events after it; those kept resume with every event after the id. Without it, every symbol resumes',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  resumeSymbols?: string;

  @ApiPropertyOptional({
    description: `A time to replay from, ms since the epoch or ISO 8601 with its offset, at most ${MAX_SINCE_SKEW_MS / 1000} s ahead of the server's clock: every event from then on, when history reaches back to it; otherwise \`reset\` and a snapshot. A resume point (Last-Event-ID or lastEventId) wins over it`,
  })
  @IsOptional()
  @IsInstant()
  since?: string;

  @ApiPropertyOptional({
    description: `Bar intervals to stream as \`event: bar\`, comma-separated: ${Object.keys(CANDLE_INTERVALS).join(', ')}; none by default`,
    example: '1s,1m',
  })
  @IsOptional()
  @IsBarIntervals()
  bars?: string;
}
