import { ApiProperty } from '@nestjs/swagger';
import type { Candle } from '@tickstream/client/contract';

/** A Candle as the API documents it. */
export class CandleDto implements Candle {
  @ApiProperty({
    type: 'integer',
    description: "The bar's start, in seconds since the epoch",
    example: 1795608120,
  })
  time!: number;

  @ApiProperty({ example: 228.46 })
  open!: number;

  @ApiProperty({ example: 228.61 })
  high!: number;

  @ApiProperty({ example: 228.3 })
  low!: number;

  @ApiProperty({ example: 228.52 })
  close!: number;

  @ApiProperty({ type: 'integer', description: 'Shares traded in the bar', example: 48200 })
  volume!: number;
}
