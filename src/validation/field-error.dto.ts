import { ApiProperty } from '@nestjs/swagger';

/** The body of every 400 (and of the 404 for an unknown symbol): it names the field and value. */
export class FieldErrorDto {
  @ApiProperty({ type: 'integer', example: 400 })
  statusCode!: number;

  @ApiProperty({ example: 'Bad Request' })
  error!: string;

  @ApiProperty({
    description: '"<field>: <reason>"',
    example: 'symbols: unknown symbol "NOPE"',
  })
  message!: string;

  @ApiProperty({ description: 'The query parameter or path segment at fault', example: 'symbols' })
  field!: string;

  @ApiProperty({
    description:
      'The value sent, cut short: a string (its first 200 characters, then "…"), a list when the parameter was given more than once (its first 10 entries, then "…"), null when it was missing',
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    nullable: true,
    example: 'NOPE',
  })
  value!: string | string[] | null;
}
