import type { NestExpressApplication } from '@nestjs/platform-express';
import { PATHS } from '@tickstream/client/contract';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import type { AppConfig } from '../config/app-config.js';

/** The headers helmet sets, once: none depends on the request. */
const HELMET = helmet({
  contentSecurityPolicy: {
    directives: {
      'default-src': ["'self'"],
      'script-src': ["'self'"],
      // The chart sets element styles from script.
      'style-src': ["'self'", "'unsafe-inline'"],
      'img-src': ["'self'", 'data:', 'blob:'],
      'connect-src': ["'self'"],
      'font-src': ["'self'"],
      'object-src': ["'none'"],
      'base-uri': ["'self'"],
      'form-action': ["'self'"],
      'frame-ancestors': ["'none'"],
      // The service is often reached over plain http (localhost, behind a TLS proxy).
      'upgrade-insecure-requests': null,
    },
  },
  strictTransportSecurity: false,
});

/**
 * The security headers of every answer, as names and values in turn (the form writeHead takes):
 * what helmet sets on a response, read once from a response that goes nowhere.
 */
export const SECURITY_HEADERS: readonly string[] = (() => {
  const probe = new ServerResponse(new IncomingMessage(new Socket()));
  HELMET(probe.req, probe, () => undefined);
  return probe.getHeaderNames().flatMap((name) => [name, String(probe.getHeader(name))]);
})();

const STREAM_PATH = `/${PATHS.stream}`;

/**
 * Security headers on every response, streams included (nothing is compressed or buffered), and
 * CORS for the origins in CORS_ORIGINS. The service's own page is same-origin and needs no CORS;
 * without CORS_ORIGINS no other origin may read a response. Strict-Transport-Security goes only on
 * answers to HTTPS requests (see strictTransport).
 *
 * A stream's writer sends them itself, in its one writeHead, and a refusal of a stream gets them
 * from RefusalFilter: a header set on a response before its head is kept, in a table of its own,
 * as long as the response lives, which for a stream is as long as it is open (1.9 KB of heap per
 * idle stream, docs/benchmarks.md).
 */
export function applyHttpSecurity(app: NestExpressApplication, config: AppConfig): void {
  app.use((request: Request, response: Response, next: NextFunction) => {
    if (!isStreamRequest(request)) {
      setSecurityHeaders(response);
    }
    next();
  });
  if (config.HSTS_MAX_AGE > 0) {
    app.use(strictTransport(config.HSTS_MAX_AGE));
  }
  const origins = config.CORS_ORIGINS;
  if (origins.length > 0) {
    const anyOrigin = origins.includes('*');
    app.enableCors({
      origin: anyOrigin ? '*' : origins,
      // The token cookie may cross origins only to listed ones: never with a wildcard.
      credentials: !anyOrigin,
      methods: ['GET', 'HEAD'],
      allowedHeaders: ['Authorization', 'Last-Event-ID'],
      exposedHeaders: ['Retry-After', 'WWW-Authenticate'],
      maxAge: 600,
    });
  }
}

/**
 * Strict-Transport-Security on answers to requests that came over HTTPS, which for this plain-HTTP
 * service means that a proxy TRUST_PROXY trusts said so in X-Forwarded-Proto. Browsers ignore the
 * header over plain HTTP, and on a service reached by plain HTTP it would only mislead.
 */
function strictTransport(maxAgeSeconds: number): RequestHandler {
  const value = `max-age=${maxAgeSeconds}; includeSubDomains`;
  return (request, response, next) => {
    if (request.secure) {
      response.setHeader('Strict-Transport-Security', value);
    }
    next();
  };
}

/** Sets the security headers on `response`, before its head goes out. */
export function setSecurityHeaders(response: ServerResponse): void {
  for (let i = 0; i < SECURITY_HEADERS.length; i += 2) {
    response.setHeader(SECURITY_HEADERS[i], SECURITY_HEADERS[i + 1]);
  }
}

/** A request the stream route answers, whose head its writer writes. */
function isStreamRequest(request: Request): boolean {
  return (request.method === 'GET' || request.method === 'HEAD') && request.path === STREAM_PATH;
}
