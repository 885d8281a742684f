import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { AccessTokenQueryDto } from '../auth/access-token-query.dto.js';
import { IsInstant } from '../validation/instant.js';
import { IsIntegerString } from '../validation/is-integer-string.js';
import { CANDLE_INTERVALS, type CandleInterval } from '@tickstream/client/contract';

export const DEFAULT_CANDLE_INTERVAL: CandleInterval = '1m';
export const DEFAULT_CANDLE_LIMIT = 500;

const INSTANT = 'ms since the epoch, or ISO 8601 (a date, or a date and time with its offset)';

export class CandlesQueryDto extends AccessTokenQueryDto {
  @ApiPropertyOptional({ enum: Object.keys(CANDLE_INTERVALS), default: DEFAULT_CANDLE_INTERVAL })
  @IsOptional()
  @IsIn(Object.keys(CANDLE_INTERVALS))
  interval?: CandleInterval;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 100_000,
    default: DEFAULT_CANDLE_LIMIT,
    description: 'How many of the newest bars; with a range, how many bars a page holds at most',
  })
  @IsOptional()
  @IsIntegerString(1, 100_000)
  limit?: string;

  @ApiPropertyOptional({
    description: `Bars that begin from then (${INSTANT}); from the oldest held by default. Asks for a page (CandlePage)`,
    example: '2026-12-07T14:30:00Z',
  })
  @IsOptional()
  @IsInstant()
  from?: string;

  @ApiPropertyOptional({
    description: `Bars that begin until then, included (${INSTANT}); to the newest by default. Asks for a page (CandlePage)`,
    example: '1796661000000',
  })
  @IsOptional()
  @IsInstant()
  to?: string;

  @ApiPropertyOptional({
    description:
      'The next page of a range: the `next` of the page before, sent with the same interval and `to`; it stands for `from`',
  })
  @IsOptional()
  @Matches(/^[\w-]{1,64}$/, { message: 'must be the "next" of a page of candles' })
  cursor?: string;
}
