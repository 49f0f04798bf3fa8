// The privacy-budget ledger: how much ε each licence has spent on each dataset. Pure: the state goes in and a new
// state comes out; the store persists it (compare-and-set on `version`, so two jobs cannot both spend the last ε).

/**
 * ε is kept in integer micro-units (1 = 10⁻⁶ ε): sums of decimals like 0.1 + 0.2 must neither drift over a cap
 * nor fall short of it. Storage format: one row per (licence, dataset).
 */
export interface BudgetAccount {
  readonly licenseId: string;
  readonly dataset: string;
  readonly spentMicro: number;
}

export interface BudgetLedger {
  /** incremented by every charge: the store's optimistic-concurrency check */
  readonly version: number;
  readonly accounts: readonly BudgetAccount[];
}

export const EMPTY_LEDGER: BudgetLedger = { version: 0, accounts: [] };

export interface BudgetRequest {
  readonly licenseId: string;
  readonly dataset: string;
  readonly epsilon: number;
}

/** From the disclosure rules: epsilonPerJob and epsilonPerLicence (per dataset). */
export interface BudgetCaps {
  readonly perJob: number;
  readonly perLicence: number;
}

export type BudgetRefusal = 'invalid_epsilon' | 'over_job_cap' | 'exhausted';

export type BudgetCharge =
  | { readonly ok: true; readonly ledger: BudgetLedger; readonly charged: number; readonly spent: number; readonly remaining: number }
  | { readonly ok: false; readonly reason: BudgetRefusal; readonly spent: number; readonly remaining: number };

/** Micro-units of ε, rounded up for a charge (never under-charge) or down for a cap (never over-allow). */
function toMicro(epsilon: number, round: 'up' | 'down'): number {
  const x = epsilon * 1e6;
  const nearest = Math.round(x);
  if (Math.abs(x - nearest) < 1e-6) return nearest; // 0.3 · 10⁶ = 300000.00000000006 is 300000
  return round === 'up' ? Math.ceil(x) : Math.floor(x);
}

function spentOf(ledger: BudgetLedger, licenseId: string, dataset: string): number {
  return ledger.accounts.find((a) => a.licenseId === licenseId && a.dataset === dataset)?.spentMicro ?? 0;
}

function checkCaps(caps: BudgetCaps): void {
  if (!(caps.perJob > 0) || !(caps.perLicence > 0) || !Number.isFinite(caps.perJob) || !Number.isFinite(caps.perLicence)) {
    throw new TypeError('budget caps must be positive finite numbers');
  }
}

/** ε a licence has left on a dataset (never negative). Throws TypeError for bad caps. */
export function remainingBudget(ledger: BudgetLedger, licenseId: string, dataset: string, caps: BudgetCaps): number {
  checkCaps(caps);
  return Math.max(0, toMicro(caps.perLicence, 'down') - spentOf(ledger, licenseId, dataset)) / 1e6;
}

/**
 * Charges ε to a licence's account for a dataset, or refuses: ε not a positive finite number of at least 10⁻⁶,
 * more than one job may spend, or more than the licence has left. Spent never exceeds the cap, and refusals leave the
 * ledger as it was. Throws TypeError for bad caps.
 */
export function chargeBudget(ledger: BudgetLedger, request: BudgetRequest, caps: BudgetCaps): BudgetCharge {
  return chargeBudgets(ledger, [request], caps);
}

/**
 * Several charges, all or none (a job over two datasets spends on both). Requests for the same account add up.
 * Throws TypeError for bad caps.
 */
export function chargeBudgets(ledger: BudgetLedger, requests: readonly BudgetRequest[], caps: BudgetCaps): BudgetCharge {
  checkCaps(caps);
  const perJob = toMicro(caps.perJob, 'down');
  const perLicence = toMicro(caps.perLicence, 'down');
  const accounts = new Map<string, BudgetAccount>();
  for (const a of ledger.accounts) accounts.set(JSON.stringify([a.licenseId, a.dataset]), a);
  const thisJob = new Map<string, number>();
  let charged = 0;
  let last = { spent: 0, remaining: 0 };
  for (const r of requests) {
    const key = JSON.stringify([r.licenseId, r.dataset]);
    const spent = accounts.get(key)?.spentMicro ?? 0;
    const state = { spent: spent / 1e6, remaining: Math.max(0, perLicence - spent) / 1e6 };
    if (!(r.epsilon > 0) || !Number.isFinite(r.epsilon) || toMicro(r.epsilon, 'up') < 1) return { ok: false, reason: 'invalid_epsilon', ...state };
    const micro = toMicro(r.epsilon, 'up');
    const jobTotal = (thisJob.get(key) ?? 0) + micro;
    if (jobTotal > perJob) return { ok: false, reason: 'over_job_cap', ...state };
    thisJob.set(key, jobTotal);
    if (spent + micro > perLicence) return { ok: false, reason: 'exhausted', ...state };
    accounts.set(key, { licenseId: r.licenseId, dataset: r.dataset, spentMicro: spent + micro });
    charged = Math.max(charged, jobTotal);
    last = { spent: (spent + micro) / 1e6, remaining: (perLicence - spent - micro) / 1e6 };
  }
  return { ok: true, ledger: { version: ledger.version + 1, accounts: [...accounts.values()] }, charged: charged / 1e6, ...last };
}
