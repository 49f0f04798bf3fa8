// Fresh secrets for a deployment or a rotation, from the operating system's cryptographic random source.
import { randomBytes } from 'node:crypto';
import { stringify } from 'yaml';
import { generateSm2KeyPair, sm2KeyPairToPem } from '../crypto/index.ts';

export interface PlatformSecrets {
  /** 32 bytes, hex: the pseudonym master secret every worker shares (sandbox/jobs/pseudonym-secret.ts) */
  PSEUDONYM_SECRET: string;
  BOOTSTRAP_SECURITY_PASSWORD: string;
  BOOTSTRAP_STEWARD_PASSWORD: string;
  /** bearer token for /metrics on the main port, when no separate metrics port is used */
  METRICS_TOKEN: string;
  /** PKCS#8 PEM of a new SM2 key for audit checkpoints */
  'audit-checkpoint-key.pem': string;
}

/** 24 characters of base64url: 144 bits, well past the 12-character minimum, no quoting needed anywhere. */
const password = () => randomBytes(18).toString('base64url');

export function newSecrets(): PlatformSecrets {
  return {
    PSEUDONYM_SECRET: randomBytes(32).toString('hex'),
    BOOTSTRAP_SECURITY_PASSWORD: password(),
    BOOTSTRAP_STEWARD_PASSWORD: password(),
    METRICS_TOKEN: randomBytes(32).toString('base64url'),
    'audit-checkpoint-key.pem': sm2KeyPairToPem(generateSm2KeyPair()),
  };
}

/** `KEY=value` lines for a compose .env file (the PEM is left out: a file, not a variable). */
export function asEnvFile(secrets: PlatformSecrets): string {
  return Object.entries(secrets)
    .filter(([key]) => !key.endsWith('.pem'))
    .map(([key, value]) => `${key}=${value}\n`)
    .join('');
}

/** The Secret of deploy/k8s/secret.example.yaml, filled (database URLs still to be written by the operator). */
export function asKubernetesSecret(secrets: PlatformSecrets, namespace = 'gov-data-platform'): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'platform-secrets', namespace },
    type: 'Opaque',
    stringData: {
      DATABASE_URL: 'postgres://platform_app:REPLACE_ME@postgres.example.internal:5432/platform',
      DATABASE_OWNER_URL: 'postgres://platform_owner:REPLACE_ME@postgres.example.internal:5432/platform',
      ...secrets,
    },
  });
}
