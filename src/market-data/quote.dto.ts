import { ApiProperty } from '@nestjs/swagger';
import { TICK_KINDS, type Quote, type TickKind } from '@tickstream/client/contract';

/** A Quote as the API documents it. */
export class QuoteDto implements Quote {
  @ApiProperty({ example: 'AAPL' })
  symbol!: string;

  @ApiProperty({
    enum: TICK_KINDS,
    description:
      'trade: a trade at price, of size shares. quote: only the bid or ask (or their sizes) changed; price is the last trade, size 0',
    example: 'trade',
  })
  kind!: TickKind;

  @ApiProperty({ description: 'Last trade, in dollars', example: 228.46 })
  price!: number;

  @ApiProperty({ example: 228.44 })
  bid!: number;

  @ApiProperty({ example: 228.49 })
  ask!: number;

  @ApiProperty({
    type: 'integer',
    description: 'Shares traded; 0 for a quote alone',
    example: 200,
  })
  size!: number;

  @ApiProperty({
    type: 'integer',
    description: 'Shares bid for at the bid; 0 when not known',
    example: 300,
  })
  bidSize!: number;

  @ApiProperty({
    type: 'integer',
    description: 'Shares offered at the ask; 0 when not known',
    example: 500,
  })
  askSize!: number;

  @ApiProperty({
    type: 'integer',
    description: 'Milliseconds since the epoch when the quote was made',
    example: 1795608150708,
  })
  ts!: number;
}
