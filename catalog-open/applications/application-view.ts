// How an application is shown: to its applicant (with what to do next) and to stewards.
// Wire format of GET /open/applications/{id} and GET /steward/applications.
import type { Applicant, ApplicationAccess, ApplicationStatus, applications } from '../schema.ts';

export type ApplicationRow = typeof applications.$inferSelect;

export type NextStep =
  | { action: 'wait'; message: string }
  | { action: 'download'; url: string; method: 'GET'; headers: Record<string, string>; formats: string[]; message: string }
  | { action: 'sandbox'; licenseId: string; message: string }
  | { action: 'none'; message: string };

export interface ApplicationStatusView {
  id: string;
  dataset: string;
  fields: string[];
  access: ApplicationAccess;
  status: ApplicationStatus;
  submittedAt: string;
  decidedAt: string | null;
  decisionReason: string | null;
  expiresAt: string | null;
  expired: boolean;
  licenseId: string | null;
  next: NextStep;
}

export interface StewardApplicationView {
  id: string;
  dataset: string;
  fields: string[];
  departmentCode: string;
  applicant: Applicant;
  purpose: string;
  durationDays: number;
  access: ApplicationAccess;
  commitmentAcceptedAt: string;
  status: ApplicationStatus;
  decidedBy: string | null;
  decisionReason: string | null;
  decidedAt: string | null;
  expiresAt: string | null;
  licenseId: string | null;
  createdAt: string;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function nextStep(row: ApplicationRow, now: Date): NextStep {
  if (row.status === 'pending') return { action: 'wait', message: 'a steward of the providing department has not decided yet' };
  if (row.status === 'rejected') return { action: 'none', message: 'the application was refused; see decisionReason' };
  if (row.expiresAt && row.expiresAt <= now) return { action: 'none', message: 'the grant has expired; submit a new application' };
  if (row.access === 'sandbox' && row.licenseId) {
    return {
      action: 'sandbox',
      licenseId: row.licenseId,
      message: "the approved fields are granted to your organization's operator account as this licence; run jobs with it in the sandbox",
    };
  }
  const fields = row.fields.map(encodeURIComponent).join(',');
  return {
    action: 'download',
    url: `/open/datasets/${encodeURIComponent(row.datasetCode)}/download?format=csv&fields=${fields}`,
    method: 'GET',
    headers: { 'X-Application-Id': row.id, 'X-Status-Token': '<your status token>' },
    formats: ['csv', 'ndjson', 'json', 'xlsx'],
    message: 'download until expiresAt with these two headers; the data is desensitized by the dataset policy',
  };
}

export function applicationStatusView(row: ApplicationRow, now = new Date()): ApplicationStatusView {
  return {
    id: row.id,
    dataset: row.datasetCode,
    fields: row.fields,
    access: row.access,
    status: row.status,
    submittedAt: row.createdAt.toISOString(),
    decidedAt: iso(row.decidedAt),
    decisionReason: row.decisionReason,
    expiresAt: iso(row.expiresAt),
    expired: row.status === 'approved' && row.expiresAt !== null && row.expiresAt <= now,
    licenseId: row.licenseId,
    next: nextStep(row, now),
  };
}

export function stewardApplicationView(row: ApplicationRow): StewardApplicationView {
  return {
    id: row.id,
    dataset: row.datasetCode,
    fields: row.fields,
    departmentCode: row.departmentCode,
    applicant: row.applicant,
    purpose: row.purpose,
    durationDays: row.durationDays,
    access: row.access,
    commitmentAcceptedAt: row.commitmentAcceptedAt.toISOString(),
    status: row.status,
    decidedBy: row.decidedBy,
    decisionReason: row.decisionReason,
    decidedAt: iso(row.decidedAt),
    expiresAt: iso(row.expiresAt),
    licenseId: row.licenseId,
    createdAt: row.createdAt.toISOString(),
  };
}
