// The portal's page shell: header with the product name and navigation, main landmark, footer. No inline script or
// style anywhere (the CSP forbids them): looks live in /portal/assets/portal.css. The Layout provides the page's
// words to every component inside it (useWords()).
import type { Child } from 'hono/jsx';
import { chinaDay } from '../ui/time.ts';
import { useWords, WordsContext, type View } from './lang.ts';
import type { PortalWords } from './words.ts';

const nav = (W: PortalWords) => [
  { href: '/portal/datasets', label: W.nav.catalog },
  { href: '/portal/priority-lists', label: W.nav.priorityLists },
  { href: '/portal/departments', label: W.nav.departments },
  { href: '/portal/applications', label: W.nav.applications },
  { href: '/docs', label: W.nav.api },
];

export function Layout(props: { view: View; title: string; path: string; head?: Child; children?: Child }) {
  const { lang, W, here } = props.view;
  const other = lang === 'zh' ? 'en' : 'zh';
  return (
    <html lang={lang === 'zh' ? 'zh-CN' : 'en'}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · ${W.product}`}</title>
        <link rel="stylesheet" href="/portal/assets/ui.css" />
        <link rel="stylesheet" href="/portal/assets/portal.css" />
        {props.head}
      </head>
      <body>
        <a class="skip" href="#main">
          {W.skip}
        </a>
        <header class="top">
          <a class="product" href="/portal/datasets">
            {W.product}
          </a>
          <nav aria-label={W.mainNav}>
            <ul>
              {nav(W).map((item) => (
                <li>
                  <a href={item.href} aria-current={props.path.startsWith(item.href) ? 'page' : undefined}>
                    {item.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <a class="lang" href={`/portal/lang?to=${other}&next=${encodeURIComponent(here)}`} lang={other === 'zh' ? 'zh-CN' : 'en'} hreflang={other === 'zh' ? 'zh-CN' : 'en'}>
            {W.switchLang}
          </a>
        </header>
        <main id="main" tabindex={-1}>
          <h1>{props.title}</h1>
          <WordsContext.Provider value={W}>{props.children}</WordsContext.Provider>
        </main>
        <footer class="foot">{W.footer}</footer>
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

/** The calendar day in China of an ISO timestamp; a bare date is returned as is. */
export const day = chinaDay;

/** Date and minute in China Standard Time, labelled with the zone in the reader's language. */
export function Time(props: { iso: string | null | undefined }) {
  return <time datetime={props.iso ?? undefined}>{useWords().at(props.iso)}</time>;
}
