import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import type { AppConfig } from '../config/app-config.js';

/**
 * Security headers on every response, streams included (helmet only sets headers: nothing is
 * compressed or buffered), and CORS for the origins in CORS_ORIGINS. The service's own page is
 * same-origin and needs no CORS; without CORS_ORIGINS no other origin may read a response.
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
    }),
  );
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
