import { ApiProperty } from '@nestjs/swagger';
import type { Quote } from '@tickstream/client/contract';

/** A Quote as the API documents it. */
export class QuoteDto implements Quote {
  @ApiProperty({ example: 'AAPL' })
  symbol!: string;

  @ApiProperty({ description: 'Last trade, in dollars', example: 228.46 })
  price!: number;

  @ApiProperty({ example: 228.44 })
  bid!: number;

  @ApiProperty({ example: 228.49 })
  ask!: number;

  @ApiProperty({ type: 'integer', description: 'Shares traded', example: 200 })
  size!: number;

  @ApiProperty({
    type: 'integer',
    description: 'Milliseconds since the epoch when the quote was made',
    example: 1795608150708,
  })
  ts!: number;
}
