import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { AccessTokenQueryDto } from '../auth/access-token-query.dto.js';
import { IsIntegerString } from '../validation/is-integer-string.js';
import { CANDLE_INTERVALS, type CandleInterval } from '@tickstream/client/contract';

export const DEFAULT_CANDLE_INTERVAL: CandleInterval = '1m';
export const DEFAULT_CANDLE_LIMIT = 500;

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
    description: 'How many of the newest bars',
  })
  @IsOptional()
  @IsIntegerString(1, 100_000)
  limit?: string;
}
