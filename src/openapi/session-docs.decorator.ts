import { applyDecorators } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { SessionInfo } from '@tickstream/client/contract';
import { ApiTokenAccess } from './api-token-access.decorator.js';

/** The answer of POST and DELETE /api/session. */
export class SessionInfoSchema implements SessionInfo {
  @ApiProperty({ type: String, nullable: true, description: "The token's subject", example: 'ada' })
  subject!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'When the token, and with it the cookie, expires (ISO 8601)',
  })
  expiresAt!: string | null;
}

const SET_COOKIE = {
  'Set-Cookie': {
    description: 'tickstream_token, HttpOnly, SameSite=Strict, Path=/, Secure over HTTPS',
    schema: { type: 'string' },
  },
};

export function SessionDocs(): MethodDecorator {
  return applyDecorators(
    ApiTags('session'),
    ApiOperation({
      summary: 'Signs a browser in: the token, once checked, is kept as the HttpOnly cookie',
      description:
        'Send the token as Authorization: Bearer. With STREAM_AUTH=none there is nothing to keep: no cookie, and nulls.',
    }),
    ApiTokenAccess(),
    ApiOkResponse({ type: SessionInfoSchema, description: 'Signed in', headers: SET_COOKIE }),
  );
}

export function SignOutDocs(): MethodDecorator {
  return applyDecorators(
    ApiTags('session'),
    ApiOperation({ summary: 'Signs a browser out: the cookie is cleared' }),
    ApiOkResponse({ type: SessionInfoSchema, description: 'Signed out', headers: SET_COOKIE }),
  );
}
