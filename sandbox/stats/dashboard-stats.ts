// Figures for the staff dashboard: jobs per day by outcome, alerts per day by severity, privacy budget per licence.
// Counts and sums only; no data values, no job code.
import { sql } from 'drizzle-orm';
import type { Db } from '../../store/index.ts';
import { epsilonFromRho, NANO, rhoFromEpsilon } from '../dp/index.ts';

export interface DayCount {
  /** YYYY-MM-DD (UTC) */
  day: string;
  key: string;
  count: number;
}

export interface BudgetUse {
  operatorId: string;
  operatorName: string;
  licenseId: string;
  dataset: string;
  /** ε (at δ = 1e-8) of the ρ spent so far, and the licence's ε */
  epsilonSpent: number;
  epsilonTotal: number;
  /** share of the licence's ρ spent (zCDP: the share that matters for what is left) */
  used: number;
}

const rowsOf = <T>(result: unknown): T[] => (Array.isArray(result) ? result : ((result as { rows?: T[] }).rows ?? [])) as T[];

/** Operators' jobs created in the last `days` days, per day and final (or current) status; dry runs and the platform's open-statistics releases left out. */
export async function jobsPerDay(db: Db, days: number): Promise<DayCount[]> {
  const result = await db.execute(sql`
    SELECT to_char(date_trunc('day', created_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day, status AS key, count(*)::int AS count
    FROM jobs
    WHERE created_at >= now() - make_interval(days => ${days}) AND dry_run = false AND operation <> 'open_statistic'
    GROUP BY 1, 2 ORDER BY 1, 2`);
  return rowsOf<DayCount>(result).map((r) => ({ day: r.day, key: r.key, count: Number(r.count) }));
}

/** Alerts raised in the last `days` days, per day and severity. */
export async function alertsPerDay(db: Db, days: number): Promise<DayCount[]> {
  const result = await db.execute(sql`
    SELECT to_char(date_trunc('day', created_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day, severity AS key, count(*)::int AS count
    FROM alerts
    WHERE created_at >= now() - make_interval(days => ${days})
    GROUP BY 1, 2 ORDER BY 1, 2`);
  return rowsOf<DayCount>(result).map((r) => ({ day: r.day, key: r.key, count: Number(r.count) }));
}

/** Privacy budget spent per licence and dataset (the zCDP ledger), with each licence's ε, for licences that spent any. */
export async function budgetUse(db: Db): Promise<BudgetUse[]> {
  const result = await db.execute(sql`
    SELECT o.id AS "operatorId", o.name AS "operatorName", l.id AS "licenseId", b.dataset AS dataset,
           b.rho_spent_nano AS "rhoSpentNano", l.privacy_epsilon AS "epsilonTotal"
    FROM budget_ledger b JOIN licenses l ON l.id = b.license_id JOIN operators o ON o.id = l.operator_id
    WHERE b.rho_spent_nano > 0
    ORDER BY b.rho_spent_nano DESC LIMIT 50`);
  return rowsOf<Omit<BudgetUse, 'epsilonSpent' | 'used'> & { rhoSpentNano: number | string }>(result).map(({ rhoSpentNano, ...r }) => {
    const rho = Number(rhoSpentNano) / NANO;
    const total = Number(r.epsilonTotal);
    return { ...r, epsilonTotal: total, epsilonSpent: Math.round(epsilonFromRho(rho) * 1e4) / 1e4, used: Math.min(1, rho / rhoFromEpsilon(total)) };
  });
}
