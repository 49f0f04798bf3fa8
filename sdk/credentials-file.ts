// The operator's credentials file: operator id, platform URL and private JWK, readable by its owner only.
import { readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import type { JWK } from 'jose';

export const credentialsSchema = z.object({
  baseUrl: z.url(),
  operatorId: z.string().regex(/^op_[0-9a-f-]{36}$/),
  privateJwk: z.looseObject({ kty: z.enum(['EC', 'OKP']), kid: z.string().min(1), d: z.string().min(1) }),
});
export type CredentialsFile = z.infer<typeof credentialsSchema> & { privateJwk: JWK };

/** Throws a plain Error naming the file and the problem (never its contents). */
export async function readCredentials(path: string): Promise<CredentialsFile> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    throw new Error(`cannot read operator credentials from ${path}`);
  }
  const parsed = credentialsSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${path} is not an operator credentials file (${parsed.error.issues[0]?.path.join('.')})`);
  return parsed.data as CredentialsFile;
}

export async function writeCredentials(path: string, credentials: CredentialsFile): Promise<void> {
  await writeFile(path, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
}
