import { DATASETS } from '../data/index.ts';
import { truncateAddress } from '../policies/regions.ts';
const addrs: string[] = [];
let last = '';
for (const row of DATASETS.population.generate({ rows: 200000, seed: 'bench' })) { const a = row.address as string; if (a !== last) addrs.push(a); last = a; }
truncateAddress(addrs[0]!, 'street');
for (let rep = 0; rep < 4; rep++) {
  const t = performance.now(); let s = 0;
  for (const a of addrs) s += (truncateAddress(a, 'street') ?? '').length;
  console.log(addrs.length, ((performance.now() - t) / addrs.length * 1000).toFixed(0), 'ns/address');
}
