import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppConfig } from '../config/app-config.js';
import { InvalidTokenException } from './invalid-token.exception.js';
import { Principal } from './principal.js';
import { setPrincipal } from './request-principal.js';
import { TokenVerifier } from './token-verifier.service.js';
import { findToken } from './token-source.js';

/**
 * With STREAM_AUTH=jwt, lets a request through only with a valid token, and records its
 * principal for @CurrentPrincipal(); a 401 otherwise, before any handler or stream runs.
 * With STREAM_AUTH=none every request is the anonymous principal.
 */
@Injectable()
export class TokenGuard implements CanActivate {
  constructor(
    private readonly config: AppConfig,
    private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<IncomingMessage>();
    if (this.config.STREAM_AUTH === 'none') {
      setPrincipal(request, Principal.anonymous);
      return true;
    }
    try {
      setPrincipal(request, await this.verifier.verify(findToken(request)));
      return true;
    } catch (error) {
      if (error instanceof InvalidTokenException) {
        http.getResponse<ServerResponse>().setHeader('WWW-Authenticate', error.challenge);
      }
      throw error;
    }
  }
}
