// The console's home: who is signed in and where to go. (Charts: see issue 8, item 6.)
import type { GatewayDeps } from '../../context.ts';
import { langOf, SHELL } from '../i18n.ts';
import { Layout, navFor } from '../layout.tsx';
import type { ConsoleApp } from '../routes.tsx';

export function dashboardPages(ui: ConsoleApp, _deps: GatewayDeps) {
  ui.get('/', (c) => {
    const lang = langOf(c);
    const session = c.get('session');
    return c.html(
      <Layout title={SHELL[lang].dashboard} lang={lang} session={session} path="/console">
        <ul>
          {navFor(session, lang)
            .slice(1)
            .map((item) => (
              <li>
                <a href={item.href}>{item.label}</a>
              </li>
            ))}
        </ul>
      </Layout>,
    );
  });
}
