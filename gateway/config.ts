// Environment configuration, validated once at start with one clear line per bad variable. Every variable the
// server reads is here (and in the README's table); nothing else in the gateway reads process.env.
import { z } from 'zod';
import { telemetryConfigOf, telemetryEnvShape, type TelemetryConfig } from '../telemetry/index.ts';
import { slotEnvShape, slotOptionsOf, type SlotOptions } from '../sandbox/jobs/index.ts';
import { NO_PROXY, parseTrustProxy, type TrustProxy } from './client-ip.ts';

const flag = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');
const password = z.string().min(12, 'must be at least 12 characters');
const jsonText = z.string().transform((v, ctx) => {
  try {
    return JSON.parse(v) as unknown;
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be JSON' });
    return z.NEVER;
  }
});

const envSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./.data'),
  DATABASE_URL: z
    .string()
    .refine((v) => /^postgres(ql)?:\/\//.test(v), 'must be a postgres:// or postgresql:// URL')
    .optional(),
  BOOTSTRAP_SECURITY_PASSWORD: password.optional(),
  BOOTSTRAP_STEWARD_PASSWORD: password.optional(),
  DEMO: flag.optional(),
  /** residents seeded by DEMO; the other datasets scale with it */
  DEMO_ROWS: z.coerce.number().int().min(100).max(10_000_000).default(100_000),
  /** the externally visible base URL, e.g. https://data.example.gov.cn; default http://localhost:PORT */
  PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  /**
   * the proxies in front of the gateway that append X-Forwarded-For: 0 (none: clients connect directly), their number,
   * or their addresses / CIDR blocks; the client is the rightmost hop that is not one of them
   */
  TRUST_PROXY: z
    .string()
    .transform((v, ctx) => {
      const parsed = parseTrustProxy(v);
      if (typeof parsed === 'string') {
        ctx.addIssue({ code: 'custom', message: parsed });
        return z.NEVER;
      }
      return parsed;
    })
    .optional(),
  /** the pseudonym master secret (hex, ≥ 32 bytes); without it the embedded default keeps one in DATA_DIR */
  PSEUDONYM_SECRET: z
    .string()
    .regex(/^(?:[0-9a-fA-F]{2}){32,}$/, 'must be at least 64 hex digits (32 bytes), e.g. from `openssl rand -hex 32`')
    .optional(),
  /** job worker processes `npm start` runs beside the gateway (0: none; run `npm run worker` elsewhere) */
  WORKERS: z.coerce.number().int().min(0).max(64).default(1),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** federated jobs (docs/federation.md): this node's id, its ES256 private JWK (JSON), and the pinned peers (JSON) */
  NODE_ID: z.string().regex(/^[a-z0-9][a-z0-9.-]{0,63}$/, 'must be lower-case letters, digits, dots and dashes').optional(),
  FEDERATION_KEY: jsonText.optional(),
  FEDERATION_PEERS: jsonText.optional(),
  /** METRICS_PORT, METRICS_HOST, METRICS_TOKEN, OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT, OTEL_TRACES_SAMPLER_ARG */
  ...telemetryEnvShape,
  /** JOB_SLOT_BASE_MS, JOB_SLOT_PER_MILLION_CELLS_MS: the fixed time a real run takes as seen from outside */
  ...slotEnvShape,
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  bootstrapPasswords: { security: string | undefined; steward: string | undefined };
  demo: boolean;
  demoRows: number;
  publicUrl: string;
  trustProxy: TrustProxy;
  /** PSEUDONYM_SECRET as given (hex), or undefined: the embedded default keeps its own under DATA_DIR */
  pseudonymSecretHex: string | undefined;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  /** null unless NODE_ID, FEDERATION_KEY and FEDERATION_PEERS are all set (checked in depth when the node starts) */
  federation: { nodeId: string; privateJwk: Record<string, unknown>; peers: Record<string, unknown>[] } | null;
  /** where /metrics is served and where traces go (docs/operations.md) */
  telemetry: TelemetryConfig;
  /** the job workers' time slot (docs/disclosure-control.md, "Side channels") */
  jobSlot: SlotOptions;
  /** job worker processes `npm start` runs as its children */
  workers: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

/** Throws ConfigError listing every bad variable by name (never its value: it may be a password). */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const demo = e.DEMO ?? e.DATABASE_URL === undefined;
  if (e.DATABASE_URL !== undefined && e.PSEUDONYM_SECRET === undefined && (demo || e.NODE_ID !== undefined)) {
    // open statistics (DEMO) and federated jobs fingerprint contributors with it, as `npm run worker` does: on a shared
    // server every process must use the same one, so it cannot be made up here
    throw new ConfigError(['PSEUDONYM_SECRET: required with DATABASE_URL when DEMO=1 or NODE_ID is set (every worker must share it; `openssl rand -hex 32` makes one)']);
  }
  if (e.DATABASE_URL !== undefined && e.PSEUDONYM_SECRET === undefined && e.WORKERS > 0) {
    throw new ConfigError(['PSEUDONYM_SECRET: required with DATABASE_URL when npm start runs job workers (WORKERS, default 1): every worker must share it (`openssl rand -hex 32` makes one); or set WORKERS=0 and run workers elsewhere']);
  }
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    bootstrapPasswords: { security: e.BOOTSTRAP_SECURITY_PASSWORD, steward: e.BOOTSTRAP_STEWARD_PASSWORD },
    // demo data by default only on the embedded database: a real server is someone's production
    demo,
    demoRows: e.DEMO_ROWS,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    trustProxy: e.TRUST_PROXY ?? NO_PROXY,
    pseudonymSecretHex: e.PSEUDONYM_SECRET,
    logLevel: e.LOG_LEVEL,
    federation: federationConfig(e),
    telemetry: telemetryConfigOf(e, e.HOST),
    jobSlot: slotOptionsOf(e),
    workers: e.WORKERS,
  };
}

function federationConfig(e: z.infer<typeof envSchema>): Config['federation'] {
  const set = [e.NODE_ID, e.FEDERATION_KEY, e.FEDERATION_PEERS].filter((v) => v !== undefined).length;
  if (set === 0) return null;
  const problems: string[] = [];
  if (set !== 3) problems.push('NODE_ID, FEDERATION_KEY, FEDERATION_PEERS: set all three or none');
  const key = e.FEDERATION_KEY;
  if (key !== undefined && (typeof key !== 'object' || key === null || Array.isArray(key))) problems.push('FEDERATION_KEY: must be a JSON object (a private JWK)');
  if (e.FEDERATION_PEERS !== undefined && !Array.isArray(e.FEDERATION_PEERS)) problems.push('FEDERATION_PEERS: must be a JSON array of {id, url, jwks}');
  if (problems.length) throw new ConfigError(problems);
  return { nodeId: e.NODE_ID!, privateJwk: key as Record<string, unknown>, peers: e.FEDERATION_PEERS as Record<string, unknown>[] };
}

/** What loadPseudonymSecret (sandbox/jobs) reads: the configured secret, and whether a shared server is in use. */
export function pseudonymSecretEnv(config: Pick<Config, 'pseudonymSecretHex' | 'databaseUrl'>): NodeJS.ProcessEnv {
  return { PSEUDONYM_SECRET: config.pseudonymSecretHex, DATABASE_URL: config.databaseUrl };
}
