// Privacy accounting in zero-concentrated DP (Bun & Steinke 2016): every release spends ρ, spends add up, and budgets
// stated as (ε, δ) are turned into ρ once. Adding ρ is exact composition for Gaussian noise, where adding ε is not:
// k Gaussian releases of ρ each cost kρ, i.e. ε ≈ 2√(kρ ln 1/δ), growing with √k rather than k.

/** δ of every (ε, δ) figure the platform states for budgets (licences, datasets, jobs). */
export const BUDGET_DELTA = 1e-8;
/** δ one job's DP partition selection may add (a label held by one person survives with at most this probability). */
export const PARTITION_DELTA = 1e-9;

/** ρ is stored in integer nano-units: sums never drift over a cap. Storage format of the ledgers. */
export const NANO = 1e9;

/**
 * ρ of ρ-zCDP that gives (ε, δ)-DP by ε = ρ + 2√(ρ ln(1/δ)), solved for ρ without cancellation:
 * ρ = ε² / (√(L + ε) + √L)², L = ln(1/δ). Throws TypeError for ε not positive or δ not in (0, 1).
 */
export function rhoFromEpsilon(epsilon: number, delta: number = BUDGET_DELTA): number {
  if (!(epsilon > 0) || !Number.isFinite(epsilon)) throw new TypeError('epsilon must be a positive finite number');
  if (!(delta > 0 && delta < 1)) throw new TypeError('delta must be in (0, 1)');
  const L = Math.log(1 / delta);
  const root = Math.sqrt(L + epsilon) + Math.sqrt(L);
  return (epsilon * epsilon) / (root * root);
}

/** The ε at δ that ρ-zCDP gives (Bun & Steinke, Proposition 1.3). 0 for ρ = 0. */
export function epsilonFromRho(rho: number, delta: number = BUDGET_DELTA): number {
  if (!(rho >= 0) || !Number.isFinite(rho)) throw new TypeError('rho must be a non-negative finite number');
  if (!(delta > 0 && delta < 1)) throw new TypeError('delta must be in (0, 1)');
  return rho + 2 * Math.sqrt(rho * Math.log(1 / delta));
}

/** What a job asks to spend, as its operator states it. */
export interface PrivacyAsk {
  /** the job's ε alone, at BUDGET_DELTA */
  readonly epsilon: number;
  /** gaussian (default): charged ρ(ε, δ); laplace: pure ε-DP, charged ε²/2 (pure ε-DP implies ε²/2-zCDP) */
  readonly mechanism?: 'gaussian' | 'laplace';
}

/** ρ a job is charged for what it asked. Throws TypeError for a bad ε. */
export function rhoOfAsk(ask: PrivacyAsk): number {
  return ask.mechanism === 'laplace' ? (ask.epsilon * ask.epsilon) / 2 : rhoFromEpsilon(ask.epsilon);
}

/** ρ in nano-units: rounded up for a charge (never under-charge), down for a cap (never over-allow). */
export function toNano(rho: number, round: 'up' | 'down'): number {
  const x = rho * NANO;
  const nearest = Math.round(x);
  if (Math.abs(x - nearest) < 1e-6) return nearest;
  return round === 'up' ? Math.ceil(x) : Math.floor(x);
}

/** A budget as people read it: ρ spent and total, and the (ε, δ) each amounts to. */
export interface BudgetGauge {
  readonly rhoSpent: number;
  readonly rhoTotal: number;
  readonly epsilonSpent: number;
  readonly epsilonTotal: number;
  readonly delta: number;
  /** spent / total, 0..1 */
  readonly used: number;
}

export function budgetGauge(spentNano: number, totalNano: number): BudgetGauge {
  const rhoSpent = spentNano / NANO;
  const rhoTotal = totalNano / NANO;
  return {
    rhoSpent,
    rhoTotal,
    epsilonSpent: round4(epsilonFromRho(rhoSpent)),
    epsilonTotal: round4(epsilonFromRho(rhoTotal)),
    delta: BUDGET_DELTA,
    used: totalNano > 0 ? Math.min(1, spentNano / totalNano) : 1,
  };
}

const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;
