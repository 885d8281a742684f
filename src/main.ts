import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { BusHealth } from './bus/bus-health.js';
import { ConfigError, loadConfig, type AppConfig } from './config/app-config.js';
import { createApp } from './create-app.js';
import { SimulatedFeedService } from './market-data/simulation/simulated-feed.service.js';
import { shutDownGracefully } from './shutdown/graceful-shutdown.js';
import { hostPort, pageUrl, roleSummary } from './startup-log.js';
import { OpenStreams } from './stream/open-streams.js';

/** Why a listen failed, in words, for the common errors an operator can fix. */
const LISTEN_ERRORS: Record<string, string> = {
  EADDRINUSE: 'the port is in use by another process',
  EADDRNOTAVAIL: 'HOST is not an address of this machine',
  EACCES: 'permission denied (ports below 1024 need privileges)',
  ENOTFOUND: 'HOST does not resolve to an address',
};

/** What the system said when it could not listen (or resolve HOST), or undefined for a bug. */
function listenFailure(error: unknown): string | undefined {
  const { code, syscall, message } = error as NodeJS.ErrnoException;
  if (code === undefined || (syscall !== 'listen' && syscall !== 'getaddrinfo')) {
    return undefined;
  }
  return LISTEN_ERRORS[code] ?? message;
}

/** Says what went wrong in one line on stderr, and exits 1. */
function fail(message: string): never {
  console.error(`tickstream: ${message}`);
  process.exit(1);
}

function readConfig(): AppConfig {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      fail(error.message);
    }
    throw error;
  }
}

async function bootstrap(): Promise<void> {
  const config = readConfig();
  const app = await createApp(config).catch((error: unknown) => {
    Logger.flush();
    throw error;
  });
  try {
    // Without HOST, Node's default: every interface.
    await (config.HOST === undefined
      ? app.listen(config.PORT)
      : app.listen(config.PORT, config.HOST));
  } catch (error) {
    const failure = listenFailure(error);
    if (failure !== undefined) {
      // The held logs, "successfully started" among them, are dropped.
      fail(`cannot listen on ${hostPort(config.HOST ?? '*', config.PORT)}: ${failure}`);
    }
    app.flushLogs();
    throw error;
  }
  app.flushLogs();
  const { address, port } = app.getHttpServer().address() as AddressInfo;
  const logger = new Logger('Bootstrap');
  // A feed process serves no streams. A feed stops first and frees its lease, so that a standby
  // takes over while this process drains.
  const feed = app.get(SimulatedFeedService);
  const endStreams = config.ROLE === 'feed' ? () => undefined : () => app.get(OpenStreams).endAll();
  shutDownGracefully(app, config.SHUTDOWN_GRACE_MS, logger, () => {
    void feed.stop();
    endStreams();
  });
  logger.log(roleSummary(config, app.get(BusHealth).location, pageUrl(address, port)));
  logger.log(`listening on http://${hostPort(address, port)}`);
}

void bootstrap();
