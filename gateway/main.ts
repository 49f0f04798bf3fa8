// The HTTP server entry (`npm start`): configuration, database, bootstrap, demo data, graceful shutdown.
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { bootstrapStaff } from './bootstrap.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import type { Services } from './context.ts';
import { createLogger, type Logger } from './logger.ts';
import { startServicesWithRetry } from './platform.ts';
import { seedDemo } from '../data/index.ts';
import { seedDemoOperator } from './demo-operator.ts';

function configOrExit(): Config {
  try {
    return loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}

async function bootstrap(services: Services, config: Config) {
  const boot = await bootstrapStaff(services.database, { dataDir: config.dataDir, passwords: config.bootstrapPasswords });
  if (boot.credentialsFile) {
    // printed once, on the console only (not the log), as API.md promises; the file is mode 0600
    process.stdout.write(`\nFirst start: staff accounts ${boot.created.join(', ')} created.\n`);
    process.stdout.write(`Their generated passwords are in ${boot.credentialsFile} (readable only by you).\n\n`);
  }
}

async function seed(services: Services, config: Config, logger: Logger) {
  if (config.demo) {
    const seeded = await seedDemo(services.database, {
      residents: config.demoRows,
      onProgress: (code, rows) => logger.info({ dataset: code, rows }, 'demo data loading'),
    });
    for (const s of seeded) logger.info({ dataset: s.code, rows: s.rowCount, version: s.version }, 'demo data loaded');
    const operator = await seedDemoOperator(services.database, { dataDir: config.dataDir, publicUrl: config.publicUrl });
    if (operator) {
      process.stdout.write(
        `\nDemo operator ${operator.operatorId} is licensed; its private key is in ${operator.credentialsFile}.\n` +
          'Try: npm run -s operator -- datasets\n\n',
      );
    }
  }
}

async function main() {
  const config = configOrExit();
  const logger = createLogger(config.logLevel);
  let services: Services | undefined;
  let stopping = false;

  const app = createApp({ config, logger, services: () => services });
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    logger.info({ port: info.port }, 'listening');
  });

  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000).unref();
    server.close(async () => {
      await services?.database.close().catch(() => {});
      clearTimeout(force);
      process.exit(0);
    });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  const started = await startServicesWithRetry(config, logger, () => stopping);
  if (!started) return;
  await bootstrap(started, config);
  services = started;
  logger.info({ database: started.database.kind }, 'ready');
  await seed(started, config, logger);
  process.stdout.write(
    [
      '',
      `Government data platform is up at ${config.publicUrl}`,
      `  health      ${config.publicUrl}/healthz   ready: ${config.publicUrl}/readyz`,
      `  API docs    ${config.publicUrl}/docs      (OpenAPI: ${config.publicUrl}/openapi.json)`,
      `  sign in     POST ${config.publicUrl}/auth/login as "security" or "steward"`,
      '',
    ].join('\n') + '\n',
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`fatal: ${(err as Error).name}: ${(err as Error).message}\n${process.env.DEBUG_STACK ? (err as Error).stack : ""}`);
  process.exit(1);
});
