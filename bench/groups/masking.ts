// Group `masking`: masking population rows for a sandbox job followed by CSV serialization, in rows per CPU second
// (one core), against CSV serialization of the same rows unmasked.
//
// The rows come from the population generator in household order, as registers are kept: household members follow
// each other and share an address and a 户号, which the maskers' last-value memo masks once (see compile-mask.ts).
// Person IDs are all distinct, so every row pays one full HMAC-SM3.
//
// The last case is the platform's contributor ids (sandbox/jobs/contributor-ids.ts: SM4-CBC-MAC over whole batches)
// against what they were before: HMAC-SM3 per row in JavaScript, with the same fingerprints.
import { csvField, csvLine, DATASETS } from '../../data/index.ts';
import { derivePseudonymKey, hmacSm3, loadPolicies, maskerFor, parsePolicySet, type RowMasker } from '../../policies/index.ts';
import { fmix32 } from '../../sandbox/reduce/index.ts';
import { contributorHasher, type ContributorIds, type PersonIdColumn } from '../../sandbox/jobs/contributor-ids.ts';
import type { Row } from '../../store/index.ts';
import type { BenchCase, BenchGroup } from '../harness.ts';

const definition = DATASETS.population.definition;

/**
 * Throughput fixture, not a policy: the six masked fields the issue names (one keyed SM3 pseudonym), the other nine
 * copied. ethnicity and marital_status are declared personal here so that they may be copied; the shipped policy
 * (policies/datasets/population.json) masks them, which the second case measures.
 */
const SIX_MASKED = parsePolicySet([
  {
    source: 'bench:six-masked',
    content: {
      dataset: 'population',
      grade: 'important',
      personLevel: true,
      fields: {
        person_id: { grade: 'important', pi: 'sensitive_personal', sandbox: { mask: 'pseudonym' } },
        name: { grade: 'general-4', pi: 'personal', sandbox: { mask: 'name' } },
        sex: { grade: 'general-2', pi: 'personal' },
        birth_date: { grade: 'general-3', pi: 'personal', sandbox: { mask: 'date', keep: 'month' } },
        ethnicity: { grade: 'general-3', pi: 'personal' },
        region_code: { grade: 'general-3', pi: 'personal' },
        street_code: { grade: 'general-4', pi: 'personal' },
        address: { grade: 'general-4', pi: 'personal', sandbox: { mask: 'address', keep: 'street' } },
        mobile: { grade: 'general-4', pi: 'personal', sandbox: { mask: 'mobile' } },
        education: { grade: 'general-3', pi: 'personal' },
        employment_status: { grade: 'general-3', pi: 'personal' },
        annual_income: { grade: 'general-4', pi: 'sensitive_personal', sandbox: { mask: 'round', base: 1000 } },
        marital_status: { grade: 'general-3', pi: 'personal' },
        household_id: { grade: 'general-4', pi: 'personal' },
        relation_to_head: { grade: 'general-3', pi: 'personal' },
      },
    },
  },
]);

const CHUNK = 64 * 1024;

/**
 * Serializes rows to CSV as a writer would: lines gathered into 64 KB chunks, each encoded to UTF-8.
 * Returns rows per CPU second of this process (user + system, GC threads included): the per-core rate the issue asks
 * for, and steadier than wall time on a shared machine. The byte count keeps the work from being optimized away.
 */
function csvRate(rows: readonly Row[], toLine: (row: Row) => string): { rate: number; bytes: number } {
  const start = process.cpuUsage();
  let chunk = '';
  let bytes = 0;
  for (let i = 0; i < rows.length; i++) {
    chunk += toLine(rows[i] as Row);
    if (chunk.length >= CHUNK) {
      bytes += Buffer.byteLength(chunk);
      chunk = '';
    }
  }
  bytes += Buffer.byteLength(chunk);
  const used = process.cpuUsage(start);
  return { rate: rows.length / ((used.user + used.system) / 1e6), bytes };
}

/** Bytes written by the last run: read nowhere, kept so the serialized text is observably used. */
export let lastBytes = 0;

/**
 * One CSV line of the masked values, written straight from the input row: each output column's compiled mask, then
 * data/serialize's `csvField`, the same field writer `csvLine` uses for the baseline. No masked row object is built.
 */
function maskedCsvLine(masker: RowMasker): (row: Row) => string {
  const columns = masker.columns;
  const n = columns.length;
  return (row) => {
    let line = '';
    for (let i = 0; i < n; i++) {
      const c = columns[i]!;
      if (i > 0) line += ',';
      line += csvField(c.mask(row[c.source] ?? null));
    }
    return `${line}\r\n`;
  };
}

function maskCase(name: string, rows: readonly Row[], toLine: (row: Row) => string): BenchCase {
  return {
    name,
    unit: 'rows/s',
    baselineName: 'CSV of the same rows unmasked (data/serialize csvLine)',
    async run() {
      const { rate, bytes } = csvRate(rows, toLine);
      lastBytes = bytes;
      return rate;
    },
    async baseline() {
      const { rate, bytes } = csvRate(rows, (row) => csvLine(row, definition));
      lastBytes = bytes;
      return rate;
    },
  };
}

/** Person ids in batches of 65,536 as the columnar reader hands them to the hasher (UTF-8 bytes, offsets). */
export function personIdBatches(ids: Iterable<string>, batchRows = 65_536): PersonIdColumn[] {
  const batches: PersonIdColumn[] = [];
  let pending: Buffer[] = [];
  const flush = () => {
    const offsets = new Int32Array(pending.length + 1);
    pending.forEach((p, i) => (offsets[i + 1] = offsets[i]! + p.length));
    const bytes = Buffer.concat(pending);
    batches.push({ kind: 'bytes', offsets, bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length), nulls: new Uint8Array(pending.length) });
    pending = [];
  };
  for (const id of ids) {
    pending.push(Buffer.from(id, 'utf8'));
    if (pending.length === batchRows) flush();
  }
  if (pending.length > 0) flush();
  return batches;
}

/** The contributor hasher before SM4: HMAC-SM3 of each person id in JavaScript, its first 16 bytes, FNV fingerprints of the hex. */
function hmacSm3ContributorHasher(key: Uint8Array): (column: PersonIdColumn, rows: number) => ContributorIds {
  const mac = hmacSm3(key);
  const hex = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
  return (column, rows) => {
    const words = new Int32Array(4 * rows);
    const fingerprints = new Int32Array(2 * rows);
    const missing = new Uint8Array(rows);
    for (let i = 0; i < rows; i++) {
      const digest = mac.mac(column.bytes.subarray(column.offsets[i]!, column.offsets[i + 1]!));
      let h1 = 0x811c9dc5 | 0;
      let h2 = 0x2f0b3c6d | 0;
      for (let b = 0; b < 16; b++) {
        const hi = hex[digest[b]! >>> 4]!;
        const lo = hex[digest[b]! & 15]!;
        h1 = Math.imul(Math.imul(h1 ^ hi, 0x01000193) ^ lo, 0x01000193);
        h2 = Math.imul(Math.imul(h2 ^ hi, 0x01000193) ^ lo, 0x01000193);
      }
      for (let w = 0; w < 4; w++) words[4 * i + w] = (digest[4 * w]! << 24) | (digest[4 * w + 1]! << 16) | (digest[4 * w + 2]! << 8) | digest[4 * w + 3]!;
      fingerprints[2 * i] = fmix32(h1 ^ 32);
      fingerprints[2 * i + 1] = fmix32(h2 ^ 32);
    }
    return { words, fingerprints, missing };
  };
}

/** Rows per CPU second of hashing every batch with a hasher built for the run (once per job, as the platform does). */
function hashRate(batches: readonly PersonIdColumn[], hasher: (column: PersonIdColumn, rows: number) => ContributorIds): number {
  const start = process.cpuUsage();
  let rows = 0;
  let sink = 0;
  for (const batch of batches) {
    const n = batch.nulls.length;
    sink ^= hasher(batch, n).fingerprints[n - 1]!;
    rows += n;
  }
  const used = process.cpuUsage(start);
  lastBytes = sink;
  return rows / ((used.user + used.system) / 1e6);
}

/** Contributor ids of `batches` (e.g. personIdBatches of population person ids) against HMAC-SM3 per row. */
export function contributorIdsCase(name: string, batches: readonly PersonIdColumn[], runs?: number): BenchCase {
  const key = derivePseudonymKey(new Uint8Array(32).fill(0x42), 'platform:contributors');
  return {
    name,
    unit: 'rows/s',
    baselineName: 'HMAC-SM3 per row in JavaScript + the same fingerprints (the ids before)',
    ...(runs ? { runs } : {}),
    run: async () => hashRate(batches, contributorHasher(key)),
    baseline: async () => hashRate(batches, hmacSm3ContributorHasher(key)),
  };
}

export const maskingGroup: BenchGroup = {
  name: 'masking',
  async setup(options) {
    const n = Math.max(10_000, Math.round(1_000_000 * options.scale));
    options.progress(`generating ${n.toLocaleString()} population rows in memory`);
    const rows: Row[] = [];
    for (const row of DATASETS.population.generate({ rows: n, seed: 'bench' })) rows.push(row);
    // One licence's key, derived as the platform derives it.
    const pseudonymKey = derivePseudonymKey(new Uint8Array(32).fill(0x42), 'bench-licence');
    const six = maskerFor(SIX_MASKED, definition, 'sandbox', { pseudonymKey });
    const shipped = maskerFor(loadPolicies(), definition, 'sandbox', { pseudonymKey });
    const count = (m: RowMasker, kind?: string) => m.fields.filter((f) => (kind ? f.rule.mask === kind : f.rule.mask !== 'raw')).length;
    const shippedName = `mask per shipped sandbox policy (${count(shipped)} fields, ${count(shipped, 'pseudonym')} pseudonyms) + CSV, population`;
    return {
      cases: [
        maskCase('mask 6 fields (1 SM3 pseudonym) + CSV, population', rows, maskedCsvLine(six)),
        maskCase(shippedName, rows, maskedCsvLine(shipped)),
        // The same six masks through masked row objects (maskRow), then csvLine: the cost of building rows.
        maskCase('mask 6 fields via maskRow objects + csvLine, population', rows, (row) => csvLine(six.maskRow(row), six.definition)),
        contributorIdsCase(`contributor ids (SM4-CBC-MAC, batched), ${n.toLocaleString('en')} person ids`, personIdBatches(rows.map((r) => String(r.person_id)))),
      ],
      async cleanup() {
        rows.length = 0;
      },
    };
  },
};
