// Environment configuration, validated once at start with one clear line per bad variable.
import { z } from 'zod';

const flag = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');
const password = z.string().min(12, 'must be at least 12 characters');

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
  PUBLIC_URL: z.url().optional(),
  /** set to 1 behind a reverse proxy that sets X-Forwarded-For; never when clients reach the gateway directly */
  TRUST_PROXY: flag.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
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
  trustProxy: boolean;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
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
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    bootstrapPasswords: { security: e.BOOTSTRAP_SECURITY_PASSWORD, steward: e.BOOTSTRAP_STEWARD_PASSWORD },
    // demo data by default only on the embedded database: a real server is someone's production
    demo: e.DEMO ?? e.DATABASE_URL === undefined,
    demoRows: e.DEMO_ROWS,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    trustProxy: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
  };
}
