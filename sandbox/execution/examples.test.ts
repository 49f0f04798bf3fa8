// The example models in examples/ run in the executor against small synthetic columns and emit what they promise.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyOutput, MapOutput } from './decode-output.ts';
import { createIsolatePool, type IsolatePool, type ModelJobResult } from './isolate-pool.ts';
import type { ColumnInput } from './wire.ts';

const example = (name: string) => readFileSync(new URL(`../../examples/${name}`, import.meta.url), 'utf8');

let pool: IsolatePool;
beforeAll(() => {
  pool = createIsolatePool({ size: 2 });
});
afterAll(() => pool.close());

/** Dictionary-encodes strings as the platform's column loader does (null → -1). */
function strings(values: (string | null)[]): ColumnInput {
  const dictionary: string[] = [];
  const codes = Int32Array.from(values, (v) => {
    if (v === null) return -1;
    const at = dictionary.indexOf(v);
    return at >= 0 ? at : dictionary.push(v) - 1;
  });
  return { codes, dictionary };
}

function ok(result: ModelJobResult): MapOutput {
  if (!result.ok) throw new Error(`${result.code}: ${result.reason}`);
  return result.output;
}
/** The key's value for each output row, as text. */
function labels(key: KeyOutput | undefined): string[] {
  if (!key) throw new Error('missing key');
  return key.type === 'dict' ? Array.from(key.codes, (c) => (c < 0 ? '' : key.dictionary[c]!)) : Array.from(key.values, String);
}

describe('examples', () => {
  it('income-by-district: district and age band keys, income measure, people without income left out', async () => {
    const out = ok(
      await pool.run({
        code: example('income-by-district.js'),
        asOf: Date.UTC(2024, 5, 30),
        columns: {
          region_code: strings(['330102', '330105', '330102', '330106', '330105', '330102']),
          birth_date: strings(['1990-03', '1975-08', '2010-01', '1960-12', '1999-07', '1985-06']),
          annual_income: Float64Array.of(85000, 120000, NaN, 64000, NaN, 97000),
        },
      }),
    );
    expect(Array.from(out.rows!)).toEqual([0, 1, 3, 5]); // the 14-year-old and the missing incomes are left out
    expect(labels(out.keys.get('district'))).toEqual(['330102', '330105', '330106', '330102']);
    expect(labels(out.keys.get('age_band'))).toEqual(['30-44', '45-59', '60+', '30-44']);
    expect(Array.from(out.measures.get('income')!)).toEqual([85000, 120000, 64000, 97000]);
  });

  it('enterprise-survival: industry section and year keys, survived 0/1, moved-out entities censored', async () => {
    const out = ok(
      await pool.run({
        code: example('enterprise-survival.js'),
        params: { fromYear: 2015 },
        columns: {
          industry_code: strings(['I65', 'C13', 'I64', 'F51', 'C13', 'I65']),
          established_date: strings(['2016-04-12', '2018-09-01', '2016-11-30', '2012-03-15', '2019-01-20', '2020-07-07']),
          status: strings(['存续', '注销', '吊销', '在业', '迁出', '在业']),
        },
      }),
    );
    expect(Array.from(out.rows!)).toEqual([0, 1, 2, 5]); // 2012 is before fromYear; the moved-out entity is censored
    expect(labels(out.keys.get('industry'))).toEqual(['I', 'C', 'I', 'I']);
    expect(out.keys.get('year')).toEqual({ type: 'int', values: Int32Array.of(2016, 2018, 2016, 2020) });
    expect(Array.from(out.measures.get('survived')!)).toEqual([1, 0, 0, 1]);
  });

  it('arrears-risk: features and a 0/1 label for the platform to fit', async () => {
    const out = ok(
      await pool.run({
        code: example('arrears-risk.js'),
        columns: {
          contribution_base: Float64Array.of(6000, 4500, 0, 8000),
          employer_amount: Float64Array.of(960, 720, 0, 1280),
          personal_amount: Float64Array.of(480, 360, 0, 640),
          arrears_amount: Float64Array.of(0, 1080, 0, 0),
          insurance_type: strings(['养老', '医疗', '养老', '工伤']),
          period: strings(['2023-11', '2023-05', '2023-06', '2023-12']),
        },
      }),
    );
    expect(Array.from(out.rows!)).toEqual([0, 1, 3]); // a zero base is not usable
    expect(Array.from(out.label!)).toEqual([0, 1, 0]);
    expect([...out.features.keys()]).toEqual(['log_base', 'personal_share', 'year_end', 'is_pension', 'is_medical', 'is_unemployment']);
    expect(Array.from(out.features.get('log_base')!)).toEqual([Math.log(6000), Math.log(4500), Math.log(8000)]);
    expect(Array.from(out.features.get('personal_share')!)).toEqual([1 / 3, 1 / 3, 1 / 3]);
    expect(Array.from(out.features.get('year_end')!)).toEqual([1, 0, 1]);
    expect(Array.from(out.features.get('is_pension')!)).toEqual([1, 0, 0]);
    expect(Array.from(out.features.get('is_medical')!)).toEqual([0, 1, 0]);
  });
});
