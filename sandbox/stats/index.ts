// Counts for the staff dashboard (jobs, alerts, privacy budget).
export { alertsPerDay, budgetUse, jobsPerDay } from './dashboard-stats.ts';
export type { BudgetUse, DayCount } from './dashboard-stats.ts';
