import { Catch, HttpException, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setSecurityHeaders } from '../security/http-security.js';
import { boundedEcho, boundedText } from './bounded-echo.js';

/**
 * How every refusal goes out, whoever raised it (a guard, a pipe, a handler, or the framework
 * for an unknown route or a path that does not decode):
 * - its body repeats at most a bounded part of what the client sent (see boundedEcho), so a
 *   client cannot make the server write, or a log keep, as much as it likes;
 * - when it comes before the request's body was read in full, the connection closes after it.
 *   Node would otherwise read and discard the rest of the body to reuse the connection: a body
 *   refused unread would still be received in full;
 * - it carries the security headers, which a stream's request has not been given yet (see
 *   applyHttpSecurity).
 */
@Catch()
export class RefusalFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<ServerResponse>();
    if (!response.headersSent) {
      setSecurityHeaders(response);
      if (!http.getRequest<IncomingMessage>().complete) {
        response.setHeader('Connection', 'close');
      }
    }
    super.catch(exception instanceof HttpException ? bounded(exception) : exception, host);
  }
}

/** The fields of an error body that may carry what the client sent (see ErrorBody). */
const ECHO_FIELDS = ['message', 'field', 'value'];

/** `exception` with its echo bounded; the rest of its body (a health report, say) as it is. */
function bounded(exception: HttpException): HttpException {
  const body = exception.getResponse();
  const echo =
    typeof body === 'string'
      ? boundedText(body)
      : Object.fromEntries(
          Object.entries(body).map(([key, value]) => [
            key,
            ECHO_FIELDS.includes(key) ? boundedEcho(value) : value,
          ]),
        );
  return new HttpException(echo, exception.getStatus(), { cause: exception });
}
