// The privacy budget as a fuel gauge: per licence and dataset, how much ε is spent, how many jobs are left at the
// default ε, and how much of the dataset's yearly budget (over every licence) is gone. From GET /operator/budget.

export interface Gauge {
  epsilonSpent: number;
  epsilonTotal: number;
  used: number;
  delta: number;
}

export interface BudgetItem {
  licenseId: string;
  dataset: string;
  epsilonPerJob: number;
  licence: Gauge;
  jobsLeftAtDefault: number;
  datasetYear: Gauge & { year: number };
}

/** A bar of `width` cells, filled in proportion to `used` (0..1). */
export function gaugeBar(used: number, width = 20): string {
  const full = Math.max(0, Math.min(width, Math.round(used * width)));
  return `[${'█'.repeat(full)}${'░'.repeat(width - full)}] ${String(Math.round(used * 100)).padStart(3)} %`;
}

/** The gauges as text, one block per licence and dataset. */
export function budgetText(items: readonly BudgetItem[]): string {
  if (items.length === 0) return 'no live licence grants a dataset\n';
  const blocks = items.map((b) =>
    [
      `${b.dataset} — licence ${b.licenseId}`,
      `  licence   ${gaugeBar(b.licence.used)}  ε ${b.licence.epsilonSpent} of ${b.licence.epsilonTotal} spent; ${b.jobsLeftAtDefault} job${b.jobsLeftAtDefault === 1 ? '' : 's'} left at ε ${b.epsilonPerJob}`,
      `  dataset   ${gaugeBar(b.datasetYear.used)}  ε ${b.datasetYear.epsilonSpent} of ${b.datasetYear.epsilonTotal} spent in ${b.datasetYear.year}, over every licence`,
    ].join('\n'),
  );
  return `${blocks.join('\n\n')}\n(ε at δ = ${items[0]!.licence.delta}, composed in zCDP: jobs add up in ρ, so ε grows more slowly than the sum of the jobs' ε)\n`;
}
