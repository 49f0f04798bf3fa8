// Which grant an application may lead to: a download, or only a sandbox licence (data that may not leave the platform).
import type { DatasetRecord } from '../../store/index.ts';
import type { ApplicationAccess } from '../schema.ts';

/**
 * Sandbox is forced — whatever the applicant asked — when the dataset is graded `important` (GB/T 43697: its
 * leakage harms public interest, so it is processed in place, never handed out) or when a requested field holds
 * sensitive personal information (PIPL art. 28: handing it out needs a separate consent the platform cannot give).
 */
export function requiredAccess(
  requested: ApplicationAccess,
  dataset: Pick<DatasetRecord, 'grade' | 'fields'>,
  fields: readonly string[],
): { access: ApplicationAccess; forced: boolean } {
  const wanted = new Set(fields);
  const sensitive = dataset.fields.some((f) => wanted.has(f.name) && f.sensitivity === 'sensitive_personal');
  const mustStay = dataset.grade === 'important' || dataset.grade === 'core' || sensitive;
  if (mustStay) return { access: 'sandbox', forced: requested !== 'sandbox' };
  return { access: requested, forced: false };
}
