import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { AccessTokenQueryDto } from '../auth/access-token-query.dto.js';
import { IsIntegerString } from '../validation/is-integer-string.js';

export const MAX_THROTTLE_MS = 60_000;

/** GET /api/stream query. Values stay strings here; the controller turns them into a request. */
export class StreamQueryDto extends AccessTokenQueryDto {
  /** Comma-separated, case-insensitive symbols. */
  @IsString()
  @IsNotEmpty()
  symbols!: string;

  /** Milliseconds between two events of one symbol; 0 sends every tick. */
  @IsOptional()
  @IsIntegerString(0, MAX_THROTTLE_MS)
  throttle?: string;

  /** `false` skips the initial snapshot. */
  @IsOptional()
  @IsIn(['true', 'false'])
  snapshot?: string;

  /** Resume point for clients that cannot send the Last-Event-ID header. */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  lastEventId?: string;
}
