import { ApiProperty } from '@nestjs/swagger';
import { QuoteDto } from './quote.dto.js';

/** One symbol this deployment serves, with its latest quote. */
export class SymbolInfo {
  @ApiProperty({ example: 'AAPL' })
  symbol!: string;

  @ApiProperty({ example: 'Apple Inc.' })
  name!: string;

  @ApiProperty({
    type: QuoteDto,
    nullable: true,
    description: 'The latest quote; null until the symbol has traded',
  })
  quote!: QuoteDto | null;
}
