// Checks a real page must pass, measured in the browser: axe-core's accessibility rules (WCAG 2.x A/AA and best
// practices), no horizontal scrolling of the page at its width, and chart text no smaller than 12 CSS px as drawn.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** axe-core run in the page (evaluated through the DevTools protocol, which the pages' CSP does not govern). */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  // a string: the tests' TypeScript has no DOM library; this runs in the page
  return page.evaluate(`(async () => {
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  })()`) as Promise<AxeViolation[]>;
}

/** How far the page is wider than the window (0 when it does not scroll sideways). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate('Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - document.documentElement.clientWidth') as Promise<number>;
}

export interface SmallText {
  text: string;
  /** the font size as drawn, in CSS px (an SVG's own scale included) */
  size: number;
  /** the height of the text's box on screen */
  boxHeight: number;
}

/**
 * Text inside charts (figure.chart) drawn smaller than `min` CSS px: each element holding text of its own is measured
 * as laid out — computed font size times the scale an SVG applies to it — and its box on screen must be at least as
 * tall. Also returns how many text boxes were measured, so a test can tell "no chart" from "all readable".
 */
export async function smallChartText(page: Page, min = 12): Promise<{ measured: number; small: SmallText[] }> {
  return page.evaluate(`(() => {
    const minimum = ${min};
    const small = [];
    let measured = 0;
    for (const el of document.querySelectorAll('figure.chart *')) {
      const own = [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim() !== '');
      if (own.length === 0) continue;
      const box = el.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      let scale = 1;
      if (el instanceof SVGGraphicsElement) {
        const m = el.getScreenCTM();
        if (m) scale = Math.sqrt(Math.abs(m.a * m.d - m.b * m.c));
      }
      const size = parseFloat(getComputedStyle(el).fontSize) * scale;
      measured++;
      if (size < minimum || box.height < minimum) small.push({ text: own.map((n) => n.textContent.trim()).join(' ').slice(0, 40), size: Math.round(size * 10) / 10, boxHeight: Math.round(box.height * 10) / 10 });
    }
    return { measured, small };
  })()`) as Promise<{ measured: number; small: SmallText[] }>;
}
