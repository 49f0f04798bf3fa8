// How operators and licences are shown to security staff (wire format of /security/operators). No key material
// beyond public JWKs, no secrets.
import type { licenses, operatorKeys, operators } from '../../store/index.ts';

export interface LicenseView {
  id: string;
  operatorId: string;
  scenario: string;
  datasets: (typeof licenses.$inferSelect)['datasets'];
  validFrom: string;
  validTo: string;
  ipAllowlist: string[];
  privacyBudget: { epsilon: number };
  maxJobsPerDay: number;
  status: string;
  statusReason: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface OperatorView {
  id: string;
  name: string;
  uscc: string;
  contact: (typeof operators.$inferSelect)['contact'];
  status: string;
  statusReason: string | null;
  keys: { kid: string; alg: string; jwk: Record<string, unknown>; createdAt: string; retiredAt: string | null }[];
  licenses: LicenseView[];
  createdAt: string;
  updatedAt: string;
}

export function licenseView(row: typeof licenses.$inferSelect): LicenseView {
  return {
    id: row.id,
    operatorId: row.operatorId,
    scenario: row.scenario,
    datasets: row.datasets,
    validFrom: row.validFrom.toISOString(),
    validTo: row.validTo.toISOString(),
    ipAllowlist: row.ipAllowlist,
    privacyBudget: { epsilon: row.privacyEpsilon },
    maxJobsPerDay: row.maxJobsPerDay,
    status: row.status,
    statusReason: row.statusReason,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function operatorView(
  row: typeof operators.$inferSelect,
  keys: (typeof operatorKeys.$inferSelect)[],
  licenseRows: (typeof licenses.$inferSelect)[],
): OperatorView {
  return {
    id: row.id,
    name: row.name,
    uscc: row.uscc,
    contact: row.contact,
    status: row.status,
    statusReason: row.statusReason,
    keys: keys.map((k) => ({
      kid: k.kid,
      alg: k.alg,
      jwk: k.jwk,
      createdAt: k.createdAt.toISOString(),
      retiredAt: k.retiredAt?.toISOString() ?? null,
    })),
    licenses: licenseRows.map(licenseView),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
