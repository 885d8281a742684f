import { ApiProperty, ApiSchema, type ApiPropertyOptions } from '@nestjs/swagger';
import type { DayFigures } from '@tickstream/client/contract';

/** The day's figures as the API documents them. */
@ApiSchema({ name: 'DayFigures' })
export class DayFiguresSchema implements DayFigures {
  @ApiProperty({
    type: 'number',
    nullable: true,
    description: "The session's first trade; null until it has traded",
    example: 226.1,
  })
  open!: number | null;

  @ApiProperty({ type: 'number', nullable: true, example: 229.8 })
  high!: number | null;

  @ApiProperty({ type: 'number', nullable: true, example: 225.7 })
  low!: number | null;

  @ApiProperty({ type: 'integer', description: 'Shares traded in the session', example: 1_284_300 })
  volume!: number;

  @ApiProperty({
    type: 'number',
    nullable: true,
    description:
      'The last trade of the session before: change and change % are measured from it. Null while unknown (no feed set it, no session ended here)',
    example: 224.9,
  })
  previousClose!: number | null;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'When the last trade was made, ms since the epoch; null until one has',
    example: 1795608150708,
  })
  lastTradeTs!: number | null;
}

/** The properties that a snapshot's quote and a `/api/symbols` entry share. */
export const STANDING_PROPERTIES = {
  day: { type: DayFiguresSchema, description: "The day's figures" },
  stateReason: {
    type: 'string',
    nullable: true,
    description: 'Why the symbol is in its state, when the source said so (e.g. "news pending")',
    example: 'news pending',
  },
  stateSince: {
    type: 'integer',
    nullable: true,
    description: 'When the state began, ms since the epoch; null for a symbol never stopped',
    example: 1795608100000,
  },
  sessionOpen: {
    type: 'number',
    nullable: true,
    description: 'The same as day.open, kept for the clients that read it',
    example: 226.1,
  },
} satisfies Record<string, ApiPropertyOptions>;
