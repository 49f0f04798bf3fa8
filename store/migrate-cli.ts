// `npm run -s db:migrate`: applies the committed migrations to DATABASE_URL and exits (the Kubernetes init container
// runs it as the tables' owner; gateways then start as a role that cannot change the audit tables). Advisory-locked:
// any number may run at once. Exit 0 migrated, 2 bad configuration or unreachable database.
import { migrate } from './migrate.ts';
import { openPostgres } from './open-postgres.ts';

const url = process.env.DATABASE_URL;
if (!url || !/^postgres(ql)?:\/\//.test(url)) {
  process.stderr.write('error: DATABASE_URL must be a postgres:// URL (the embedded database migrates inside npm start)\n');
  process.exit(2);
}
const database = openPostgres({ url, max: 2 });
try {
  await migrate(database);
  process.stdout.write(`${JSON.stringify({ level: 'info', time: new Date().toISOString(), service: 'migrate', msg: 'migrations applied' })}\n`);
} catch (err) {
  // never the URL or the driver's message (it may quote the URL or SQL): the error's code only
  const e = err as { code?: string; name?: string; cause?: { code?: string } };
  process.stderr.write(`error: migration failed (${e.cause?.code ?? e.code ?? e.name ?? 'error'})\n`);
  process.exitCode = 2;
} finally {
  await database.close();
}
