import { applyDecorators } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiSecurity,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { TokenErrorDto } from './error-bodies.dto.js';
import { SECURITY } from './security-schemes.js';

/**
 * The API document of a route behind TokenGuard: a token in any one of three places, or none
 * at all on a server run with STREAM_AUTH=none; a 401 otherwise.
 */
export function ApiTokenAccess(): ClassDecorator & MethodDecorator {
  return applyDecorators(
    ApiBearerAuth(SECURITY.bearer),
    ApiSecurity(SECURITY.accessToken),
    ApiCookieAuth(SECURITY.cookie),
    ApiSecurity({}),
    ApiUnauthorizedResponse({
      type: TokenErrorDto,
      description:
        'With STREAM_AUTH=jwt: no token, or one that is malformed, badly signed or expired; nothing is served',
      headers: {
        'WWW-Authenticate': {
          description: 'The RFC 6750 challenge: Bearer realm="tickstream", with the error if any',
          schema: { type: 'string' },
        },
      },
    }),
  );
}
