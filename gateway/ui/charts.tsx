// Bar charts for the portal and the console, readable at any width: every word and number is HTML text (its size set
// by the stylesheet, never scaled down with a drawing), and only the bars are SVG, stretched to the row's width.
// One row per category: its label and total, the bar (stacked by series), then each series' number in words, so the
// chart reads without hovering, without colour and with a screen reader. No script.
import type { Child } from 'hono/jsx';

export const PALETTE = ['#0b5cad', '#b54708', '#067647', '#b42318', '#6941c6', '#5b6570', '#0e9384', '#c11574'];

export interface Series {
  key: string;
  label: string;
  /** a colour of its own (e.g. grey for "remaining"); else the palette's next */
  color?: string;
}

export interface BarRow {
  /** stable key (data-category) */
  key: string;
  label: Child;
  /** values by series key; missing is 0 */
  values: Record<string, number>;
  /** the bar's full length when it is a share of something (budget: spent of total); else the sum of the values */
  capacity?: number;
  /** what is written after the label (default: the sum, or "sum / capacity") */
  totalText?: string;
}

const number = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));

function Swatch(props: { color: string }) {
  return (
    <svg class="swatch" width="12" height="12" viewBox="0 0 12 12" aria-hidden="true" focusable="false">
      <rect width="12" height="12" fill={props.color} />
    </svg>
  );
}

/**
 * Horizontal bars, stacked by series. `unit` follows every number (e.g. " ε"). Rows keep their given order.
 * The scale is shared by all rows (the longest row fills the width), so lengths compare across rows.
 */
export function BarChart(props: { title: string; series: Series[]; rows: BarRow[]; empty: string; unit?: string; id?: string }) {
  const { series, rows } = props;
  const unit = props.unit ?? '';
  const colorOf = (i: number) => series[i]!.color ?? PALETTE[i % PALETTE.length]!;
  const sums = rows.map((r) => series.reduce((sum, s) => sum + (r.values[s.key] ?? 0), 0));
  const max = Math.max(1, ...rows.map((r, i) => Math.max(r.capacity ?? 0, sums[i]!)));
  return (
    <figure class="chart" id={props.id}>
      <figcaption>{props.title}</figcaption>
      {rows.length === 0 ? (
        <p class="muted">{props.empty}</p>
      ) : (
        <>
          {series.length > 1 && (
            <ul class="legend">
              {series.map((s, i) => (
                <li>
                  <Swatch color={colorOf(i)} /> {s.label}
                </li>
              ))}
            </ul>
          )}
          <ol class="bars">
            {rows.map((r, k) => {
              let x = 0;
              const total = r.totalText ?? (r.capacity !== undefined ? `${number(sums[k]!)} / ${number(r.capacity)}${unit}` : `${number(sums[k]!)}${unit}`);
              return (
                <li data-category={r.key}>
                  <p class="bar-head">
                    <span class="bar-label">{r.label}</span> <span class="total">{total}</span>
                  </p>
                  <svg class="bar" viewBox={`0 0 ${max} 1`} preserveAspectRatio="none" aria-hidden="true" focusable="false">
                    {r.capacity !== undefined && <rect x="0" y="0" width={r.capacity} height="1" fill="#e4e7ec" />}
                    {series.map((s, i) => {
                      const v = r.values[s.key] ?? 0;
                      if (v <= 0) return null;
                      const at = x;
                      x += v;
                      return <rect x={at} y="0" width={v} height="1" fill={colorOf(i)} />;
                    })}
                  </svg>
                  {/* each non-zero part in words (a row of zeros says so with its total alone) */}
                  {series.length > 1 && sums[k]! > 0 && (
                    <p class="bar-values">
                      {series.map((s, i) =>
                        (r.values[s.key] ?? 0) > 0 ? (
                          <span data-series={s.key}>
                            <Swatch color={colorOf(i)} /> {s.label} <span class="value">{number(r.values[s.key] ?? 0)}</span>
                            {unit}
                          </span>
                        ) : null,
                      )}
                    </p>
                  )}
                </li>
              );
            })}
          </ol>
        </>
      )}
    </figure>
  );
}
