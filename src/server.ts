import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';

/** Process entry: configuration from the environment, listen, stop cleanly on signals. */
async function main(): Promise<void> {
  const config = loadConfig();
  const app = await buildApp(config);
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  await app.listen({ host: config.host, port: config.port });
}

main().catch((error: unknown) => {
  // Bad configuration is an operator's mistake: say what it is, without a stack.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
