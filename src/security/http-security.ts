import type { NestExpressApplication } from '@nestjs/platform-express';
import type { RequestHandler } from 'express';
import helmet from 'helmet';
import type { AppConfig } from '../config/app-config.js';

/**
 * Security headers on every response, streams included (helmet only sets headers: nothing is
 * compressed or buffered), and CORS for the origins in CORS_ORIGINS. The service's own page is
 * same-origin and needs no CORS; without CORS_ORIGINS no other origin may read a response.
 * Strict-Transport-Security goes only on answers to HTTPS requests (see strictTransport).
 */
export function applyHttpSecurity(app: NestExpressApplication, config: AppConfig): void {
  app.use(
    helmet({
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
    }),
  );
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
