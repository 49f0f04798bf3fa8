// The secrets a deployment (or a rotation) starts from are accepted by the code that reads them, and never repeat.
import { Secret } from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseSm2PrivateKey } from '../crypto/index.ts';
import { loadConfig } from '../gateway/config.ts';
import { loadPseudonymSecret } from '../sandbox/jobs/index.ts';
import { asEnvFile, asKubernetesSecret, newSecrets } from './new-secrets.ts';

describe('newSecrets', () => {
  it('makes values the platform accepts: the pseudonym secret, the passwords, the metrics token, the SM2 key', async () => {
    const s = newSecrets();
    expect(await loadPseudonymSecret({ PSEUDONYM_SECRET: s.PSEUDONYM_SECRET, DATABASE_URL: 'postgres://x@y/z' }, undefined)).toHaveLength(32);
    const config = loadConfig({ BOOTSTRAP_SECURITY_PASSWORD: s.BOOTSTRAP_SECURITY_PASSWORD, BOOTSTRAP_STEWARD_PASSWORD: s.BOOTSTRAP_STEWARD_PASSWORD, METRICS_TOKEN: s.METRICS_TOKEN });
    expect(config.telemetry.metricsToken).toBe(s.METRICS_TOKEN);
    expect(parseSm2PrivateKey(s['audit-checkpoint-key.pem']).publicKey).toBeDefined();
  });

  it('never repeats a value', () => {
    const [a, b] = [newSecrets(), newSecrets()];
    for (const key of Object.keys(a) as (keyof typeof a)[]) expect(a[key]).not.toBe(b[key]);
  });

  it('prints a compose .env without the key file, and a valid Kubernetes Secret with every key the manifests use', () => {
    const s = newSecrets();
    const env = Object.fromEntries(asEnvFile(s).trim().split('\n').map((line) => line.split(/=(.*)/s).slice(0, 2)));
    expect(env).toEqual({ PSEUDONYM_SECRET: s.PSEUDONYM_SECRET, BOOTSTRAP_SECURITY_PASSWORD: s.BOOTSTRAP_SECURITY_PASSWORD, BOOTSTRAP_STEWARD_PASSWORD: s.BOOTSTRAP_STEWARD_PASSWORD, METRICS_TOKEN: s.METRICS_TOKEN });
    const secret = parse(asKubernetesSecret(s)) as { stringData: Record<string, string> };
    expect(() => new Secret(secret as never).validate()).not.toThrow();
    expect(Object.keys(secret.stringData).sort()).toEqual(
      ['BOOTSTRAP_SECURITY_PASSWORD', 'BOOTSTRAP_STEWARD_PASSWORD', 'DATABASE_OWNER_URL', 'DATABASE_URL', 'METRICS_TOKEN', 'PSEUDONYM_SECRET', 'audit-checkpoint-key.pem'],
    );
    expect(secret.stringData['audit-checkpoint-key.pem']).toBe(s['audit-checkpoint-key.pem']);
  });
});
