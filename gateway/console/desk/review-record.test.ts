// The review page's release rendering, from records of today's shape and of the shape being built (tables in the
// record, a 95 % interval per value, approvals, fields it does not know): every entry with its verdict, nothing lost.
import { describe, expect, it } from 'vitest';
import { intervalOf, ReleaseUnderReview } from './review-record.tsx';

const twoWay = {
  name: 'income_by_district',
  kind: 'mean',
  dims: ['district', 'band'],
  measure: 'annual_income',
  layout: 'two-way',
  rowLabels: ['西湖区', '上城区'],
  columnLabels: ['18-29', '30-44'],
  cells: [
    { labels: ['西湖区', '18-29'], value: 52000, suppressed: null },
    { labels: ['西湖区', '30-44'], value: null, suppressed: 'small_cell' },
    { labels: ['上城区', '18-29'], value: null, suppressed: 'secondary' },
    { labels: ['上城区', '30-44'], value: 61000, suppressed: null },
  ],
  totals: { all: { labels: [null, null], value: 57000, suppressed: null }, rows: [{ labels: ['西湖区', null], value: 52000, suppressed: null }, { labels: ['上城区', null], value: 61000, suppressed: null }], columns: [{ labels: [null, '18-29'], value: null, suppressed: 'secondary' }, { labels: [null, '30-44'], value: 61000, suppressed: null }] },
  omitted: 0,
  noise: null,
  roundedTo: null,
};
const checks = [
  { check: 'small_cells', outcome: 'applied', details: { threshold: 10, suppressed: 1 } },
  { check: 'human_review', outcome: 'applied', details: { freeForm: 1 } },
  { check: 'a_check_added_later', outcome: 'pass', details: {} },
];

const render = async (node: unknown) => String(await (node as { toString(): string | Promise<string> }).toString());

describe('the release under review', () => {
  it('draws a two-way table as a grid with each cell’s verdict, and the checks in words (today’s shape)', async () => {
    const html = await render(ReleaseUnderReview({ record: { outcome: 'review', epsilonSpent: 0.5, checks }, output: { tables: [twoWay], models: [] }, lang: 'zh' }));
    expect(html).toContain('<table class="review-grid">');
    expect(html).toContain('52000');
    expect(html).toContain('人数过少，不公布'); // small_cell
    expect(html).toContain('为防推算一并不公布'); // secondary
    expect((html.match(/class="badge allow">发布</g) ?? []).length).toBe(6);
    expect(html).toContain('小单元格抑制');
    expect(html).toContain('a_check_added_later'); // an unknown check is shown as it is, not dropped
    expect(html).toContain('需人工审查');
    expect(html).toContain('ε = 0.5');
  });

  it('reads tables from the record when it carries them, shows 95 % intervals and approvals, ignores unknown fields', async () => {
    const withIntervals = { ...twoWay, cells: twoWay.cells.map((c) => (c.value === null ? c : { ...c, interval: [c.value - 800, c.value + 800], somethingNew: true })) };
    const record = { outcome: 'review', checks, tables: [withIntervals], models: [], dpAccounting: { rho: 0.1 }, reviewsNeeded: 2 };
    const html = await render(ReleaseUnderReview({ record, output: { tables: [], models: [] }, lang: 'en', approvals: [{ by: 'steward-a', at: null }] }));
    expect(html).toContain('(95% interval 51200 – 52800)');
    expect(html).toContain('Approved so far by: steward-a');
    expect(html).toContain('too few people: withheld');
    expect(intervalOf({ ci95: { lower: 1, upper: 2 } })).toEqual([1, 2]);
    expect(intervalOf({ interval: [1] })).toBeNull();
  });

  it('a DP release: ρ noise, groups not selected, coefficient intervals, approvals needed and a release without DP', async () => {
    const dpTable = { ...twoWay, noise: { mechanism: 'gaussian', rho: 0.05, sd: 3.2 }, domain: 'selected', cells: [{ labels: ['西湖区', '18-29'], value: 52000, interval: [50100, 53900], suppressed: null }, { labels: ['西湖区', '30-44'], value: null, interval: null, suppressed: 'not_selected' }] };
    const model = { name: 'fit', model: 'linear', withheld: false, terms: ['(intercept)', 'age'], coefficients: [1.5, 0.25], standardErrors: [0.1, 0.01], intervals: [[1.3, 1.7], [0.23, 0.27]], n: 300, noise: { mechanism: 'gaussian', rho: 0.01 } };
    const html = await render(ReleaseUnderReview({ record: { outcome: 'review', checks: [{ check: 'partition_selection', outcome: 'applied', details: {} }] }, output: { tables: [dpTable], models: [model] }, lang: 'zh', approvals: [{ by: 'steward-a', at: null }], approvalsNeeded: 2, withoutDp: '需要精确计数' }));
    expect(html).toContain('ρ = 0.05');
    expect(html).toContain('（95% 区间 50100 – 53900）');
    expect(html).toContain('未通过分组筛选，不公布');
    expect(html).toContain('0.23 – 0.27');
    expect(html).toContain('已批准 1 / 需批准 2');
    expect(html).toContain('未使用差分隐私');
    expect(html).toContain('需要精确计数');
    expect(html).toContain('分组筛选（差分隐私）');
  });

  it('lists flat tables and models, withheld models with their problems, and says so when there is nothing to show', async () => {
    const flat = { name: 'counts', kind: 'count', dims: ['sex'], layout: 'flat', cells: [{ labels: ['M'], value: 120, suppressed: null }, { labels: ['F'], value: null, suppressed: 'dominance' }] };
    const models = [
      { name: 'fit', model: 'linear', withheld: false, terms: ['(intercept)', 'age'], coefficients: [1.5, 0.25], standardErrors: [0.1, 0.01], n: 300, rSquared: 0.42 },
      { name: 'risky', model: 'logistic', withheld: true, problems: ['separation', 'too_few_contributors'] },
    ];
    const html = await render(ReleaseUnderReview({ record: { outcome: 'review', checks }, output: { tables: [flat], models }, lang: 'zh' }));
    expect(html).toContain('<table class="review-list">');
    expect(html).toContain('个别主体占比过大，不公布');
    expect(html).toContain('线性回归');
    expect(html).toContain('0.25');
    expect(html).toContain('完全分离');
    const empty = await render(ReleaseUnderReview({ record: { outcome: 'review', checks }, output: { models: [], tables: [] }, lang: 'zh' }));
    expect(empty).toContain('没有平台可以展示的表格或模型');
    // a record of no known shape at all still renders (the raw JSON is one click away)
    expect(await render(ReleaseUnderReview({ record: 'odd', output: null, lang: 'en' }))).toContain('No checks recorded.');
  });
});
