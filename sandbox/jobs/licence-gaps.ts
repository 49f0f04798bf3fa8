// What a licence lacks for a request: the dataset, fields or operations it does not grant. Read from the licence
// itself (the operator's own document), so saying it tells the operator nothing about any data.
import { eq } from 'drizzle-orm';
import { licenses, type Db } from '../../store/index.ts';

export interface LicenceGaps {
  dataset: string;
  /** the licence does not grant the dataset at all */
  datasetNotGranted?: true;
  missingFields?: string[];
  missingOperations?: string[];
  /** the licence is outside its validity window or not active */
  licenceNotLive?: true;
}

export async function licenceGaps(db: Db, licenseId: string, request: { code: string; fields: readonly string[] }, operations: readonly string[]): Promise<LicenceGaps> {
  const [licence] = await db.select().from(licenses).where(eq(licenses.id, licenseId));
  const out: LicenceGaps = { dataset: request.code };
  if (!licence) return { ...out, licenceNotLive: true };
  const now = new Date();
  if (licence.status !== 'active' || now < licence.validFrom || now >= licence.validTo) out.licenceNotLive = true;
  const grant = licence.datasets.find((d) => d.code === request.code);
  if (!grant) return { ...out, datasetNotGranted: true };
  const fields = request.fields.filter((f) => !grant.fields.includes(f));
  const ops = operations.filter((o) => !grant.operations.includes(o as never));
  if (fields.length) out.missingFields = fields;
  if (ops.length) out.missingOperations = ops;
  return out;
}
