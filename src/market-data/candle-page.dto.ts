import { ApiProperty } from '@nestjs/swagger';
import type { Candle, CandlePage } from '@tickstream/client/contract';
import { CandleDto } from './candle.dto.js';

/** The bars a server holds of a symbol at an interval, as the API documents it. */
export class HeldRangeDto {
  @ApiProperty({
    type: 'integer',
    description: 'When the oldest bar held begins, in ms since the epoch',
    example: 1796601600000,
  })
  from!: number;

  @ApiProperty({
    type: 'integer',
    description: 'When the newest bar held begins, in ms since the epoch',
    example: 1796661000000,
  })
  to!: number;
}

/** A CandlePage as the API documents it. */
export class CandlePageDto implements CandlePage {
  @ApiProperty({ type: [CandleDto], description: 'Oldest first' })
  candles!: Candle[];

  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'The `cursor` of the next page of the range; null on its last page',
    example: 'MW06MTc5NjYwMzAwMA',
  })
  next!: string | null;

  @ApiProperty({
    type: HeldRangeDto,
    nullable: true,
    description: 'The bars held at this interval; null when there are none',
  })
  held!: HeldRangeDto | null;

  @ApiProperty({
    description:
      "This page's range begins before the oldest bar held: bars before it, if there were any, are not kept",
  })
  beforeHeld!: boolean;
}
