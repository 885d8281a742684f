import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import type { AppConfig } from './config/app-config.js';
import { applyHttpSecurity } from './security/http-security.js';

/** The application as main.ts runs it; end-to-end tests build theirs here too. */
export async function createApp(
  config: AppConfig,
  logLevels: LogLevel[] = ['log', 'warn', 'error', 'fatal'],
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger: new ConsoleLogger({ json: config.LOG_FORMAT === 'json', logLevels }),
    // Streams end in onModuleDestroy; their keep-alive sockets must not hold shutdown for the
    // keep-alive timeout.
    forceCloseConnections: true,
  });
  app.disable('x-powered-by');
  applyHttpSecurity(app, config);
  return app;
}
