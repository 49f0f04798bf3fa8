// `npm run -s secrets -- new [--format env|k8s]`: prints a fresh set of the platform's secrets (docs/operations.md).
// To stdout only, for the operator to put into the secret store; nothing is written to disk.
import { parseArgs } from 'node:util';
import { asEnvFile, asKubernetesSecret, newSecrets } from './new-secrets.ts';

const USAGE = `usage: npm run -s secrets -- new [--format env|k8s] [--namespace <ns>]
Prints new random values for PSEUDONYM_SECRET, the bootstrap passwords, METRICS_TOKEN and (k8s) the audit checkpoint
key: as KEY=value lines for a compose .env file (default), or as the Kubernetes Secret of deploy/k8s/.
`;

try {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { format: { type: 'string', default: 'env' }, namespace: { type: 'string', default: 'gov-data-platform' } } });
  if (positionals.length !== 1 || positionals[0] !== 'new' || !['env', 'k8s'].includes(values.format)) throw new Error('bad usage');
  const secrets = newSecrets();
  process.stdout.write(values.format === 'k8s' ? asKubernetesSecret(secrets, values.namespace) : asEnvFile(secrets));
} catch {
  process.stderr.write(USAGE);
  process.exit(2);
}
