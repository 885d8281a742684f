import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { TRADING_STATES, type SymbolInfo, type TradingState } from '@tickstream/client/contract';
import { DayFiguresSchema, STANDING_PROPERTIES } from '../openapi/day-figures.dto.js';
import { QuoteDto } from './quote.dto.js';

/** One symbol this deployment serves, with its latest quote, state and day's figures: SymbolInfo in the document. */
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

  @ApiProperty(STANDING_PROPERTIES.stateReason)
  stateReason!: string | null;

  @ApiProperty(STANDING_PROPERTIES.stateSince)
  stateSince!: number | null;

  @ApiProperty(STANDING_PROPERTIES.day)
  day!: DayFiguresSchema;

  @ApiProperty(STANDING_PROPERTIES.sessionOpen)
  sessionOpen!: number | null;
}
