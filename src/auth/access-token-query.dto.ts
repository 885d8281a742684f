import { ApiPropertyOptional } from '@nestjs/swagger';
import { Allow } from 'class-validator';

/** Query DTOs of guarded routes extend this, so that validation lets the token param through. */
export class AccessTokenQueryDto {
  /** Read and checked by TokenGuard, never by validation, which would echo it in a 400. */
  @ApiPropertyOptional({
    type: 'string',
    description:
      'With STREAM_AUTH=jwt: the token, for clients that cannot send an Authorization header (a browser EventSource)',
  })
  @Allow()
  access_token?: unknown;
}
