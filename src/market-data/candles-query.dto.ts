import { IsIn, IsOptional } from 'class-validator';
import { AccessTokenQueryDto } from '../auth/access-token-query.dto.js';
import { IsIntegerString } from '../validation/is-integer-string.js';
import { CANDLE_INTERVALS, type CandleInterval } from './candle.js';

export class CandlesQueryDto extends AccessTokenQueryDto {
  @IsOptional()
  @IsIn(Object.keys(CANDLE_INTERVALS))
  interval?: CandleInterval;

  @IsOptional()
  @IsIntegerString(1, 100_000)
  limit?: string;
}
