// The HTTP server entry (`npm start`): configuration, database, bootstrap, demo data, job workers, graceful shutdown.
// The gateway's own event loop only serves HTTP: jobs run in WORKERS child processes, and on the embedded default
// PGlite runs in a process of its own too (store/embedded), reached through postgres.js as a real server would be.
import { accessSync, constants, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
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
import { EmbeddedStartError, prepareLoadThread, startEmbeddedHost, type EmbeddedHost } from '../store/index.ts';
import { loadPolicies, type PolicySet } from '../policies/index.ts';
import { seedDemoOperator } from './demo-operator.ts';
import { seedDemoCatalog } from './demo-catalog.ts';
import { seedDemoOpenStatistics } from './demo-open-statistics.ts';
import { seedDemoPriorityLists } from './demo-priority-lists.ts';
import { watchQueue } from './queue-watch.ts';
import { startWorkerProcesses } from './worker-processes.ts';
import { startProcessTelemetry } from '../telemetry/index.ts';

/** Node 22.12+ or 24 (isolated-vm 7, node-seal 7's WebAssembly GC, canonicalize 5): anything older stops here. */
function runtimeOrExit(): void {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  if (major < 22 || (major === 22 && minor < 12)) {
    process.stderr.write(
      `error: this is Node.js ${process.version}; the platform needs Node.js 24 LTS (or 22.12+). ` +
        '`npm start` runs the Node 24 that `npm install` put in node_modules/.bin: start the server that way, or install Node 24.\n',
    );
    process.exit(2);
  }
}

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

/** DATA_DIR holds the embedded database, credentials and keys: made (0700) if absent, and it must be writable. */
function dataDirOrExit(config: Config): void {
  const dir = resolve(config.dataDir);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    accessSync(dir, constants.W_OK);
  } catch (err) {
    process.stderr.write(`invalid configuration:\n  DATA_DIR: cannot create or write ${dir} (${(err as NodeJS.ErrnoException).code ?? 'error'})\n`);
    process.exit(2);
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

/** The embedded default's database process; a directory that is locked or unusable stops the start in one line. */
async function embeddedHostOrExit(config: Config): Promise<EmbeddedHost> {
  try {
    return await startEmbeddedHost(config.dataDir);
  } catch (err) {
    if (err instanceof EmbeddedStartError) {
      process.stderr.write(`error: ${err.message}\n`);
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

/**
 * DEMO data, step by step. Each step writes whole or not at all (loads, catalog entries, lists and the operator with
 * its key file are each atomic) and a failed step is logged and skipped: demo data never keeps the platform from
 * serving, and the next start completes what is missing.
 */
async function seed(services: Services, config: Config, logger: Logger) {
  if (!config.demo) return;
  const step = async (name: string, run: () => Promise<void>) => {
    try {
      await run();
    } catch (err) {
      // an AppError's message is safe by contract; any other may quote SQL parameters or data, so only its name
      const reason = isAppError(err) ? `${err.code}: ${err.message}` : (err as Error).name;
      logger.error({ step: name, reason }, 'demo step failed; the next start tries again');
    }
  };
  await step('datasets', async () => {
    const seeded = await seedDemo(services.database, {
      residents: config.demoRows,
      onProgress: (code, rows) => logger.info({ dataset: code, rows }, 'demo data loading'),
    });
    for (const s of seeded) logger.info({ dataset: s.code, rows: s.rowCount, version: s.version }, 'demo data loaded');
  });
  await step('catalog', async () => {
    const catalog = await seedDemoCatalog(services);
    for (const skipped of catalog.skipped) logger.warn(skipped, 'dataset left without a catalog entry; describe it in the console');
    logger.info({ divisionsLoaded: catalog.divisionsLoaded, entriesCreated: catalog.entriesCreated }, 'demo open-data catalog seeded');
  });
  await step('open-statistics', async () => {
    logger.info({ statistics: await seedDemoOpenStatistics(services, config) }, 'demo open statistics published');
  });
  await step('priority-lists', async () => {
    logger.info({ lists: await seedDemoPriorityLists(services.database) }, 'demo priority lists published');
  });
  await step('operator', async () => {
    const operator = await seedDemoOperator(services, { dataDir: config.dataDir, publicUrl: config.publicUrl });
    if (operator) {
      process.stdout.write(
        `\nDemo operator ${operator.operatorId} is licensed${operator.rekeyed ? ' (its key file was missing: it has a new key)' : ''}; ` +
          `its private key is in ${operator.credentialsFile}.\nTry: npm run -s operator -- datasets\n\n`,
      );
    }
  });
}

async function main() {
  runtimeOrExit();
  const config = configOrExit();
  dataDirOrExit(config);
  const logger = createLogger(config.logLevel);
  const policies = policiesOrExit();
  const host = config.databaseUrl ? null : await embeddedHostOrExit(config);
  let services: Services | undefined;
  let stopping = false;
  let stopWorker: (() => Promise<void>) | null = null;
  let stopWatch: (() => void) | null = null;
  // before the app: the first request already runs inside a span; /metrics on METRICS_PORT if set
  const telemetry = await startProcessTelemetry('gateway', config.telemetry);

  const app = createApp({ config, logger, services: () => services });
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    logger.info({ port: info.port }, 'listening');
  });
  server.on('error', (err: NodeJS.ErrnoException) => {
    // the port taken (another instance still stopping?) or not ours to bind: one line, what to change
    const why = err.code === 'EADDRINUSE' ? 'is in use by another process' : err.code === 'EACCES' ? 'needs privileges this process lacks' : `cannot be listened on (${err.code ?? err.name})`;
    process.stderr.write(`error: ${config.host}:${config.port} ${why}; stop the other process or set PORT / HOST\n`);
    process.exit(2);
  });

  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000).unref();
    server.close(async () => {
      stopWatch?.();
      await stopWorker?.().catch(() => {});
      await services?.database.close().catch(() => {});
      await host?.stop().catch(() => {});
      await telemetry.stop();
      clearTimeout(force);
      process.exit(0);
    });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  void host?.exited.then((code) => {
    if (stopping) return;
    // nothing works without it, and its files may need a look: stop rather than answer 503 for ever
    process.stderr.write(`error: the embedded database process stopped (exit ${code}); see its message above, then start again\n`);
    process.exit(1);
  });

  const started = await startServicesWithRetry(config, policies, logger, () => stopping, host?.socket);
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
  // steward uploads go to a thread of their own (store/registry/load-off-loop.ts): started now, not on the first one
  prepareLoadThread(started.database);
  // on the embedded database the workers reach it on its socket, and NOTIFY cannot reach them: the gateway wakes them
  const workers = startWorkerProcesses({
    count: config.workers,
    logger,
    env: host ? { EMBEDDED_SOCKET: host.socket, DATA_DIR: config.dataDir } : {},
    metrics: config.telemetry.metricsListener,
  });
  started.jobQueued = () => workers.wake();
  stopWorker = () => workers.stop();
  stopWatch = watchQueue(started.database, logger);
  logger.info({ database: host ? 'embedded' : 'postgres' }, 'ready');
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
  // an AppError's message is safe by contract; any other may quote SQL parameters or data, so only its name is shown,
  // with a system error's code, call and path (ENOENT open /data/x): what to fix, without any value
  const e = err as NodeJS.ErrnoException;
  const system = e.code ? ` (${[e.code, e.syscall, e.path].filter(Boolean).join(' ')})` : '';
  const what = isAppError(err) ? `${err.code}: ${err.message}` : `${e.name}${system}`;
  process.stderr.write(`fatal: ${what}\n`);
  process.exit(1);
});
