// Tables line up in a terminal whatever script the labels are in: widths by display columns, numbers right-aligned.
import { describe, expect, it } from 'vitest';
import { resultText, type JobResult } from './result-view.ts';
import { textTable } from './text-table.ts';
import { displayWidth, padToWidth } from './text-width.ts';

describe('displayWidth', () => {
  it('counts CJK, fullwidth forms and wide emoji as two columns, combining marks and joiners as none', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('杭州市')).toBe(6);
    expect(displayWidth('西湖区 West Lake')).toBe(6 + 10);
    expect(displayWidth('，。「」')).toBe(8); // CJK punctuation
    expect(displayWidth('ＡＢ１２')).toBe(8); // fullwidth forms
    expect(displayWidth('ｶﾀｶﾅ')).toBe(4); // halfwidth katakana stay narrow
    expect(displayWidth('한국어')).toBe(6);
    expect(displayWidth('𠀀')).toBe(2); // extension B, outside the BMP
    expect(displayWidth('e\u0301')).toBe(1); // é as e + combining acute
    expect(displayWidth('a\u200bb')).toBe(2); // zero-width space
    expect(displayWidth('🙂')).toBe(2);
    expect(displayWidth('– … ² σ')).toBe(7); // East Asian Ambiguous: one column
    expect(displayWidth('')).toBe(0);
  });

  it('pads by display width on either side', () => {
    expect(padToWidth('男', 4)).toBe('男  ');
    expect(padToWidth('12', 4, 'right')).toBe('  12');
    expect(padToWidth('杭州市', 4)).toBe('杭州市'); // never cut
  });
});

/** The display column where each cell of `line` starts, given the cells it holds in order. */
function cellStarts(line: string, cells: string[]): number[] {
  const starts: number[] = [];
  let from = 0;
  for (const cell of cells) {
    const at = line.indexOf(cell, from);
    expect(at, `${cell} in ${line}`).toBeGreaterThanOrEqual(0);
    starts.push(displayWidth(line.slice(0, at)));
    from = at + cell.length;
  }
  return starts;
}

describe('textTable and the result tables', () => {
  it('lines up mixed Chinese and ASCII labels by display width, numbers flush right', () => {
    const rows = [
      ['district', 'band', 'count'],
      ['杭州市西湖区', '18-39', '1,234'],
      ['Ningbo', '40-59', '56'],
      ['宁波 Beilun', '60+', '7,890,123'],
      ['café\u0301', '(missing)', '0'],
    ];
    const lines = textTable(rows, ['left', 'left', 'right']).split('\n');
    expect(lines).toHaveLength(5);
    // every line ends at the same display column (the right-aligned last column), and the second column starts at the
    // same display column on every line
    expect(new Set(lines.map(displayWidth)).size).toBe(1);
    expect(new Set(lines.map((l, i) => cellStarts(l, rows[i]!)[1])).size).toBe(1);
    // counted in code points the widths would differ: the Chinese line is shorter in characters
    expect(new Set(lines.map((l) => [...l].length)).size).toBeGreaterThan(1);
  });

  it('prints a released table with Chinese labels aligned, values and intervals right-aligned', () => {
    const result: JobResult = {
      jobId: 'j',
      result: {
        dp: { epsilon: 1 },
        tables: [
          {
            name: 'mean_income',
            kind: 'mean',
            dims: ['district', 'sex'],
            measure: 'income',
            prob: null,
            cells: [
              { labels: ['杭州市上城区', '男'], value: 123456.7, interval: [100000, 150000] },
              { labels: ['Ningbo', '女'], value: 9.5, interval: [1, 20] },
              { labels: ['宁波市 Haishu', '男'], value: null, suppressed: 'small_cell' },
              { labels: [null, '女'], value: 42, interval: [-3, 90] },
            ],
          },
        ],
      },
    };
    const lines = resultText(result).trimEnd().split('\n');
    const header = lines.findIndex((l) => l.startsWith('district'));
    const table = lines.slice(header);
    expect(table).toHaveLength(5);
    // the statistic column and the interval column end at the same display column on every row
    const suppressed = table.findIndex((l) => l.includes('small_cell'));
    expect(suppressed).toBeGreaterThan(0);
    const columns = table.map((l, i) => {
      const cells = i === 0 ? ['district', 'sex', 'mean of income', '95 % interval'] : l.split(/ {2,}/).map((c) => c.trim()).filter(Boolean);
      const starts = cellStarts(l, cells);
      return { sexAt: starts[1], valueEnd: starts[2]! + displayWidth(cells[2]!) };
    });
    expect(new Set(columns.map((v) => v.sexAt)).size).toBe(1);
    expect(new Set(columns.map((v) => v.valueEnd)).size).toBe(1);
    // rows with an interval end at the same display column (the suppressed one has none)
    expect(new Set(table.filter((_, i) => i !== suppressed).map(displayWidth)).size).toBe(1);
    expect(table.filter((l) => /^杭州市上城区\s+男\s+123,457\s+100,000 … 150,000$/.test(l))).toHaveLength(1);
  });

  it('prints a linear model with R² and residual σ, a DP one whose noise swamped the residuals saying so', () => {
    const model = { name: 'm', model: 'linear', terms: ['(intercept)', 'x'], coefficients: [1.5, -2], standardErrors: [0.1, 0.2], n: 500 };
    expect(resultText({ jobId: 'j', result: { models: [{ ...model, rSquared: 0.4321, sigma: 12.5 }] } })).toMatch(/^m: linear regression, n = 500, R² = 0\.4321, residual σ = 12\.5\n/);
    expect(resultText({ jobId: 'j', result: { dp: { epsilon: 1 }, models: [{ ...model, rSquared: null, sigma: null }] } })).toMatch(/R² = not given, residual σ = not given, \(the noise swamped the residuals: no R² or σ/);
    expect(resultText({ jobId: 'j', result: { models: [{ ...model, rSquared: null, sigma: 0 }] } })).toMatch(/R² = not given, residual σ = 0\n/);
    const logistic = { name: 'l', model: 'logistic', terms: ['(intercept)'], coefficients: [0.1], standardErrors: [0.01], n: 900 };
    expect(resultText({ jobId: 'j', result: { models: [{ ...logistic, deviance: 80, nullDeviance: 100 }] } })).toMatch(/deviance = 80 \(intercept only 100\), pseudo-R² = 0\.2/);
    expect(resultText({ jobId: 'j', result: { dp: { epsilon: 1 }, models: [{ ...logistic, classRows: [800, 100] }] } })).toMatch(/rows with outcome 0 \/ 1 = 800 \/ 100/);
  });
});
