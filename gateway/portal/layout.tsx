// The portal's page shell: header with the product name and navigation, main landmark, footer. No inline script or
// style anywhere (the CSP forbids them): looks live in /portal/assets/portal.css.
import type { Child } from 'hono/jsx';
import { WORDS } from './words.ts';

const NAV = [
  { href: '/portal/datasets', label: WORDS.nav.catalog },
  { href: '/portal/priority-lists', label: WORDS.nav.priorityLists },
  { href: '/portal/departments', label: WORDS.nav.departments },
  { href: '/portal/applications', label: WORDS.nav.applications },
  { href: '/docs', label: WORDS.nav.api },
];

export function Layout(props: { title: string; path: string; head?: Child; children?: Child }) {
  return (
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · ${WORDS.product}`}</title>
        <link rel="stylesheet" href="/portal/assets/portal.css" />
        {props.head}
      </head>
      <body>
        <a class="skip" href="#main">
          {WORDS.skip}
        </a>
        <header class="top">
          <a class="product" href="/portal/datasets">
            {WORDS.product}
          </a>
          <nav aria-label={WORDS.product}>
            <ul>
              {NAV.map((item) => (
                <li>
                  <a href={item.href} aria-current={props.path.startsWith(item.href) ? 'page' : undefined}>
                    {item.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        </header>
        <main id="main" tabindex={-1}>
          <h1>{props.title}</h1>
          {props.children}
        </main>
        <footer class="foot">{WORDS.footer}</footer>
      </body>
    </html>
  );
}

/** A message box: errors as role=alert so screen readers announce them. */
export function Notice(props: { kind: 'error' | 'warn' | 'ok'; children?: Child }) {
  return (
    <div class={`notice ${props.kind}`} role={props.kind === 'ok' ? 'status' : 'alert'}>
      {props.children}
    </div>
  );
}

/** A label for a code value (open attribute, status …), coloured by the value. */
export function Badge(props: { value: string; children?: Child }) {
  return <span class={`badge ${props.value}`}>{props.children}</span>;
}

/** The date part (China time, UTC+8) of an ISO timestamp; a bare date is returned as is. */
export function day(iso: string | null | undefined): string {
  if (!iso) return '—';
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** Date and minute (China time) of an ISO timestamp. */
export function minute(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}
