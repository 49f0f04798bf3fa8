// temporary profiling driver (removed before report)
import { DATASETS } from '../data/index.ts';
import { derivePseudonymKey, loadPolicies, maskerFor } from '../policies/index.ts';
import type { Row } from '../store/index.ts';
const n = Number(process.env.N ?? 200000);
const rows: Row[] = [];
for (const row of DATASETS.population.generate({ rows: n, seed: 'bench' })) rows.push(row);
const key = derivePseudonymKey(new Uint8Array(32).fill(0x42), 'bench-licence');
const m = maskerFor(loadPolicies(), DATASETS.population.definition, 'sandbox', { pseudonymKey: key });
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
for (let rep = 0; rep < 3; rep++) {
  const out: string[] = [];
  for (const c of m.columns) {
    const vals = rows.map((r) => r[c.source] ?? null);
    const t0 = cpu();
    let x: unknown;
    for (let i = 0; i < vals.length; i++) x = c.mask(vals[i]!);
    const dt = cpu() - t0;
    out.push(`${c.field.name}:${c.field.rule.mask}=${((dt * 1000) / n).toFixed(2)}µs`);
    void x;
  }
  if (rep === 2) console.log(out.join('\n'));
}
// distinct-ness of address and household
const addr = new Set(rows.map((r) => r.address)); const hh = new Set(rows.map((r) => r.household_id));
console.log('distinct address', addr.size, 'household', hh.size, 'sample', rows[0]);
