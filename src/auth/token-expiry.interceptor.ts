import {
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type MessageEvent,
  type NestInterceptor,
} from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { Observable } from 'rxjs';
import { endAtExpiry } from './end-at-expiry.js';
import { queryParams } from './query-params.js';
import { principalOf } from './request-principal.js';

/** On an SSE route behind TokenGuard: ends the stream when the token expires. */
@Injectable()
export class TokenExpiryInterceptor implements NestInterceptor<MessageEvent, MessageEvent> {
  intercept(context: ExecutionContext, next: CallHandler<MessageEvent>): Observable<MessageEvent> {
    const request = context.switchToHttp().getRequest<IncomingMessage>();
    const expiresAt = principalOf(request)?.expiresAt;
    if (expiresAt === undefined) {
      return next.handle();
    }
    // As the stream controller reads it: the header wins over the query param.
    const header = request.headers['last-event-id'];
    const resumeFrom =
      (typeof header === 'string' && header) || queryParams(request).get('lastEventId') || '';
    return next.handle().pipe(endAtExpiry(expiresAt, resumeFrom));
  }
}
