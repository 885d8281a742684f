import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { type NextFunction, type Request, type Response } from 'express';
import { fileURLToPath } from 'node:url';
import { AppModule } from './app.module.js';
import type { AppConfig } from './config/app-config.js';
import { applyRestRateLimit } from './limits/rest-rate-limit.js';
import { untrustedForwardingNotice } from './limits/untrusted-forwarding-notice.js';
import { setupOpenApi } from './openapi/setup-openapi.js';
import { applyHttpSecurity } from './security/http-security.js';
import { applyRequestTimeouts } from './security/request-timeouts.js';

/** The page, as `npm run build` bundles it: the same folder whether this runs from src/ or dist/. */
const PAGE_DIR = fileURLToPath(new URL('../dist/public', import.meta.url));
/** The page has no file under this path, so the API's requests never look for one. */
const API_PATH = '/api/';

/**
 * The application as main.ts runs it; end-to-end tests build theirs here too. Its logs are held
 * until `flushLogs()`.
 */
export async function createApp(
  config: AppConfig,
  logLevels: LogLevel[] = ['log', 'warn', 'error', 'fatal'],
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger: new ConsoleLogger({ json: config.LOG_FORMAT === 'json', logLevels }),
    // Streams end in onModuleDestroy; their keep-alive sockets must not hold shutdown for the
    // keep-alive timeout.
    forceCloseConnections: true,
    // Only POST /api/ticks takes a body, and it reads it itself once its token has been checked.
    bodyParser: false,
    // Held until the caller has listened and calls flushLogs(): a process that cannot listen
    // says so in one line, not after "Nest application successfully started".
    bufferLogs: true,
    autoFlushLogs: false,
  });
  app.disable('x-powered-by');
  applyRequestTimeouts(app, config);
  // Before anything reads the client's address or protocol (limits, logs, HSTS).
  app.set('trust proxy', config.TRUST_PROXY);
  if (config.TRUST_PROXY === false) {
    app.use(untrustedForwardingNotice());
  }
  applyHttpSecurity(app, config);
  applyRestRateLimit(app, config);
  app.use(pageAssets());
  setupOpenApi(app);
  return app;
}

/**
 * The page's files. Static middleware stats the file system for every GET that reaches it, and
 * it comes before any route: a stream paid for a failed `stat` of its path before it opened.
 */
function pageAssets(): (request: Request, response: Response, next: NextFunction) => void {
  const serve = express.static(PAGE_DIR);
  return (request, response, next) => {
    if (request.url.startsWith(API_PATH)) {
      next();
      return;
    }
    void serve(request, response, next);
  };
}
