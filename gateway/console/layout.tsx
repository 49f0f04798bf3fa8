// The console's page shell: header with the signed-in person, navigation by role, language switch, main landmark.
// No inline script or style anywhere (the CSP forbids them): behaviour lives in /console/assets/console.js.
import type { Child } from 'hono/jsx';
import { chinaTime } from '../ui/time.ts';
import { SHELL, type Lang } from './i18n.ts';
import type { ConsoleSession } from './session.ts';

export interface NavItem {
  href: string;
  label: string;
}

export function navFor(session: ConsoleSession | null, lang: Lang): NavItem[] {
  const w = SHELL[lang];
  if (!session) return [];
  const items: NavItem[] = [{ href: '/console', label: w.dashboard }];
  if (session.staff.role === 'security') {
    items.push({ href: '/console/whitelist', label: w.whitelist }, { href: '/console/audit', label: w.audit }, { href: '/console/alerts', label: w.alerts });
  } else {
    items.push(
      { href: '/console/applications', label: w.applications },
      { href: '/console/reviews', label: w.reviews },
      { href: '/console/feedback', label: w.feedback },
      { href: '/console/priority-lists', label: w.priorityLists },
      { href: '/console/privacy-budgets', label: w.privacyBudgets },
    );
  }
  return items;
}

export function Layout(props: { title: string; lang: Lang; session: ConsoleSession | null; path: string; children?: Child }) {
  const w = SHELL[props.lang];
  const { session } = props;
  return (
    <html lang={props.lang === 'zh' ? 'zh-CN' : 'en'}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · ${w.product}`}</title>
        <link rel="stylesheet" href="/console/assets/ui.css" />
        <link rel="stylesheet" href="/console/assets/console.css" />
        <script src="/console/assets/console.js" defer></script>
      </head>
      <body>
        <a class="skip" href="#main">{w.skip}</a>
        <header class="top">
          <span class="product">{w.product}</span>
          <nav aria-label={w.product}>
            <ul>
              {navFor(session, props.lang).map((item) => (
                <li>
                  <a href={item.href} aria-current={props.path === item.href ? 'page' : undefined}>
                    {item.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <div class="who">
            <a href={`/console/lang?to=${props.lang === 'zh' ? 'en' : 'zh'}&next=${encodeURIComponent(props.path)}`} lang={props.lang === 'zh' ? 'en' : 'zh'}>
              {w.switchLang}
            </a>
            {session && (
              <form method="post" action="/console/logout" class="inline">
                <input type="hidden" name="_csrf" value={session.csrf} />
                <span class="user">
                  {session.staff.username} · {session.staff.role === 'security' ? w.roleSecurity : w.roleSteward}
                  {session.staff.department ? ` · ${session.staff.department}` : ''}
                </span>
                <button type="submit">{w.signOut}</button>
              </form>
            )}
          </div>
        </header>
        <main id="main" tabindex={-1}>
          <h1>{props.title}</h1>
          {props.children}
        </main>
        <footer class="foot">{w.allTimes}</footer>
      </body>
    </html>
  );
}

/** A hidden CSRF field for forms that change state. */
export function Csrf(props: { session: ConsoleSession }) {
  return <input type="hidden" name="_csrf" value={props.session.csrf} />;
}

/** A message box: errors as role=alert so screen readers announce them. */
export function Notice(props: { kind: 'error' | 'ok'; children?: Child }) {
  return (
    <p class={`notice ${props.kind}`} role={props.kind === 'error' ? 'alert' : 'status'}>
      {props.children}
    </p>
  );
}

/** A name with its id beside it (ids stay visible: people search, filter and quote them). */
export function Named(props: { name: string | null; id: string | null | undefined }) {
  if (!props.id) return <>—</>;
  return props.name ? (
    <>
      {props.name} <code class="id">{props.id}</code>
    </>
  ) : (
    <code class="id">{props.id}</code>
  );
}

/** A time standing alone: China Standard Time, labelled, with the instant for machines. */
export function Time(props: { iso: string | null | undefined; lang: Lang }) {
  return props.iso ? <time datetime={props.iso}>{chinaTime(props.iso, props.lang)}</time> : <>—</>;
}
