import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { TRADING_STATES, type SymbolInfo, type TradingState } from '@tickstream/client/contract';
import { QuoteDto } from './quote.dto.js';

/** One symbol this deployment serves, with its latest quote, state and session open: SymbolInfo in the document. */
@ApiSchema({ name: 'SymbolInfo' })
export class SymbolInfoSchema implements SymbolInfo {
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

  @ApiProperty({
    enum: TRADING_STATES,
    description:
      'Whether it trades: halted (limit up-limit down, or a feed) and closed do not tick',
  })
  state!: TradingState;

  @ApiProperty({
    type: 'number',
    nullable: true,
    description: 'The price its session opened at, for change and change %; null until known',
    example: 226.1,
  })
  sessionOpen!: number | null;
}
