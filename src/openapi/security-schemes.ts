import type { DocumentBuilder } from '@nestjs/swagger';
import { STREAM_PARAMS, TOKEN_COOKIE } from '@tickstream/client/contract';

/** The names of the API document's security schemes. */
export const SECURITY = {
  bearer: 'bearer',
  accessToken: 'access_token',
  cookie: 'cookie',
  ingest: 'ingest',
} as const;

const WITH_JWT =
  'Only for a server run with STREAM_AUTH=jwt: a JWT with claims sub, exp and symbols (a list, or "*")';

/** The ways in of GET /api/stream and /api/symbols (any one token), and of POST /api/ticks. */
export function addSecuritySchemes(builder: DocumentBuilder): DocumentBuilder {
  return builder
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: `${WITH_JWT}.` },
      SECURITY.bearer,
    )
    .addApiKey(
      {
        type: 'apiKey',
        in: 'query',
        name: STREAM_PARAMS.accessToken,
        description: `${WITH_JWT}, in the query, for clients that cannot send a header (a browser EventSource).`,
      },
      SECURITY.accessToken,
    )
    .addCookieAuth(
      TOKEN_COOKIE,
      {
        type: 'apiKey',
        in: 'cookie',
        description: `${WITH_JWT}, in an HttpOnly cookie, so that page scripts never hold it.`,
      },
      SECURITY.cookie,
    )
    .addSecurity(SECURITY.ingest, {
      type: 'http',
      scheme: 'bearer',
      description: 'The INGEST_TOKEN the server runs with (not a JWT).',
    });
}
