// The HTTP server entry (`npm start`): configuration, database, bootstrap, demo data, graceful shutdown.
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { bootstrapStaff } from './bootstrap.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import type { Services } from './context.ts';
import { createLogger, type Logger } from './logger.ts';
import { startServicesWithRetry } from './platform.ts';
import { checkPolicies } from './policy-check.ts';
import { seedDemo } from '../data/index.ts';
import { isAppError } from '../errors/index.ts';
import { loadPolicies, type PolicySet } from '../policies/index.ts';
import { seedDemoOperator } from './demo-operator.ts';
import { seedDemoCatalog } from './demo-catalog.ts';
import { seedDemoOpenStatistics } from './demo-open-statistics.ts';
import { seedDemoPriorityLists } from './demo-priority-lists.ts';
import { startInProcessWorker } from './in-process-worker.ts';
import { startProcessTelemetry } from '../telemetry/index.ts';

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

/** Policy files are part of the deployment: one that does not parse stops the start with its problems listed. */
function policiesOrExit(): PolicySet {
  try {
    return loadPolicies();
  } catch (err) {
    if (isAppError(err) && err.code === 'POLICY_INVALID') {
      process.stderr.write(`error: ${err.message}\n${JSON.stringify(err.details ?? {}, null, 2)}\n`);
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
    logger.info(await seedDemoCatalog(services), 'demo open-data catalog seeded');
    logger.info({ statistics: await seedDemoOpenStatistics(services, config) }, 'demo open statistics published');
    logger.info({ lists: await seedDemoPriorityLists(services.database) }, 'demo priority lists published');
    const operator = await seedDemoOperator(services, { dataDir: config.dataDir, publicUrl: config.publicUrl });
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
  const policies = policiesOrExit();
  let services: Services | undefined;
  let stopping = false;
  let stopWorker: (() => Promise<void>) | null = null;
  // before the app: the first request already runs inside a span; /metrics on METRICS_PORT if set
  const telemetry = await startProcessTelemetry('gateway', config.telemetry);

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
      await stopWorker?.().catch(() => {});
      await services?.database.close().catch(() => {});
      await telemetry.stop();
      clearTimeout(force);
      process.exit(0);
    });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  const started = await startServicesWithRetry(config, policies, logger, () => stopping);
  if (!started) return;
  await bootstrap(started, config);
  await seed(started, config, logger);
  const policyCheck = await checkPolicies(started.database, policies);
  for (const problem of policyCheck.errors) logger.error(problem, 'policy disagrees with the registry');
  if (policyCheck.errors.length > 0) {
    process.stderr.write(`error: ${policyCheck.errors.length} policy problems (see the log); fix policies/datasets/*.json\n`);
    process.exit(2);
  }
  for (const code of policyCheck.ungraded) logger.warn({ dataset: code }, 'dataset has no policy file; jobs and downloads refuse it');
  services = started;
  stopWorker = await startInProcessWorker(started, config, logger);
  logger.info({ database: started.database.kind }, 'ready');
  process.stdout.write(
    [
      '',
      `Government data platform is up at ${config.publicUrl}`,
      `  portal      ${config.publicUrl}/portal    (open data: catalog, downloads, priority lists, applications)`,
      `  console     ${config.publicUrl}/console   (security staff and stewards)`,
      `  health      ${config.publicUrl}/healthz   ready: ${config.publicUrl}/readyz`,
      `  API docs    ${config.publicUrl}/docs      (OpenAPI: ${config.publicUrl}/openapi.json)`,
      `  sign in     POST ${config.publicUrl}/auth/login as "security" or "steward"`,
      '',
    ].join('\n') + '\n',
  );
}

main().catch((err: unknown) => {
  // an AppError's message is safe by contract; any other may quote SQL parameters or data, so only its name is shown
  const what = isAppError(err) ? `${err.code}: ${err.message}` : (err as Error).name;
  process.stderr.write(`fatal: ${what}\n`);
  process.exit(1);
});
