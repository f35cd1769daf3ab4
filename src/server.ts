import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { removeStaleSpills } from './generator/spill/spill-dir.js';

/** Process entry: configuration from the environment, listen, stop cleanly on signals. */
async function main(): Promise<void> {
  const config = loadConfig();
  const app = await buildApp(config);
  // Spill folders of killed processes stay behind (~70 B an entry); removeStaleSpills never rejects.
  const spills = await removeStaleSpills(config.tempDir);
  app.log[spills.failed.length > 0 ? 'warn' : 'info']({ tempDir: config.tempDir, ...spills }, 'stale spill folders removed');
  let closing = false;
  // Drain: readiness turns false and new archives get 503 while the listener stays open; in-flight
  // archives have the grace period to finish, then whatever is left is cut and the process exits.
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.beginDrain();
    app.log.info({ signal, inFlight: app.archiveTracker.inFlight, graceMs: config.shutdownGraceMs }, 'draining');
    const drained = await app.archiveTracker.idle(config.shutdownGraceMs);
    if (!drained) {
      app.beginShutdownCut();
      app.log.warn({ inFlight: app.archiveTracker.inFlight }, 'grace period over: cutting in-flight archives');
    }
    try {
      await app.close();
      process.exit(0);
    } catch (error) {
      app.log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  await app.listen({ host: config.host, port: config.port });
}

main().catch((error: unknown) => {
  // Bad configuration is an operator's mistake: say what it is, without a stack.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
