import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { ConfigError, loadConfig, type AppConfig } from './config/app-config.js';
import { createApp } from './create-app.js';
import { shutDownGracefully } from './shutdown/graceful-shutdown.js';
import { OpenStreams } from './stream/open-streams.js';

function readConfig(): AppConfig {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`tickstream: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}

async function bootstrap(): Promise<void> {
  const config = readConfig();
  const app = await createApp(config);
  await app.listen(config.PORT);
  const { port } = app.getHttpServer().address() as AddressInfo;
  const logger = new Logger('Bootstrap');
  // A feed process serves no streams.
  const endStreams = config.ROLE === 'feed' ? () => undefined : () => app.get(OpenStreams).endAll();
  shutDownGracefully(app, config.SHUTDOWN_GRACE_MS, logger, endStreams);
  logger.log(`listening on http://localhost:${port}`);
}

void bootstrap();
