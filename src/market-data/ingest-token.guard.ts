import {
  Injectable,
  ServiceUnavailableException,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { AppConfig } from '../config/app-config.js';

/** Fixed-length digests, so the comparison takes the same time whatever the token's length. */
const digest = (token: string): Buffer => createHash('sha256').update(token).digest();

/**
 * Lets a request in only with `Authorization: Bearer <INGEST_TOKEN>`. Without a configured
 * token ingestion is off (503), so it is never open by accident.
 */
@Injectable()
export class IngestTokenGuard implements CanActivate {
  private readonly expected: Buffer | undefined;

  constructor(config: AppConfig) {
    this.expected = config.INGEST_TOKEN === undefined ? undefined : digest(config.INGEST_TOKEN);
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.expected) {
      throw new ServiceUnavailableException('ingestion is off: no INGEST_TOKEN is configured');
    }
    const { authorization = '' } = context.switchToHttp().getRequest<IncomingMessage>().headers;
    const token = /^Bearer (\S+)$/i.exec(authorization)?.[1];
    if (token === undefined || !timingSafeEqual(digest(token), this.expected)) {
      throw new UnauthorizedException('a valid "Authorization: Bearer <token>" header is required');
    }
    return true;
  }
}
