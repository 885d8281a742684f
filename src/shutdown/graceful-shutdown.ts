import type { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { drain } from './drain.js';

const SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

/**
 * On SIGTERM or SIGINT: drain (stop accepting, end every stream so that clients reconnect
 * elsewhere and resume) for up to half of `graceMs`, close the application, then re-raise the
 * signal so the exit status says why the process stopped. Past `graceMs` it exits regardless.
 */
export function shutDownGracefully(
  app: NestExpressApplication,
  graceMs: number,
  logger: Logger,
  endStreams: () => void,
): void {
  const onSignal = (signal: NodeJS.Signals): void => {
    SIGNALS.forEach((name) => process.removeListener(name, onSignal));
    logger.log(`${signal}: draining`);
    const backstop = setTimeout(() => {
      logger.error(`shutdown took longer than SHUTDOWN_GRACE_MS=${graceMs}; exiting`);
      process.exit(1);
    }, graceMs);
    backstop.unref();
    drain(app.getHttpServer(), endStreams, graceMs / 2)
      .then(async (drained) => {
        if (!drained) {
          logger.warn('connections still open halfway through SHUTDOWN_GRACE_MS: closing them');
        }
        await app.close();
        process.kill(process.pid, signal);
      })
      .catch((error: unknown) => {
        logger.error(`shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      });
  };
  SIGNALS.forEach((name) => process.on(name, onSignal));
}
