// Per-department summary of the open catalog: datasets by open attribute, quality, overdue updates, use.
import { departmentSummary } from '../../../catalog-open/index.ts';
import type { GatewayDeps } from '../../context.ts';
import { servicesOf } from '../../middleware/authenticate.ts';
import { catalogHref } from '../catalog/pages.tsx';
import { viewOf } from '../lang.ts';
import { Layout } from '../layout.tsx';
import { Wide } from '../../ui/wide-table.tsx';
import type { PortalApp } from '../routes.tsx';

export function departmentPages(ui: PortalApp, deps: GatewayDeps) {
  ui.get('/departments', async (c) => {
    const { database, policies } = servicesOf(deps);
    const rows = await departmentSummary(database, policies);
    const view = viewOf(c);
    const w = view.W.departments;
    return c.html(
      <Layout view={view} title={w.title} path="/portal/departments">
        <Wide label={view.W.tableRegion(w.title)}>
        <table class="departments">
          <thead>
            <tr>
              <th scope="col">{w.columns.department}</th>
              {(['unconditional', 'conditional', 'notOpen', 'total', 'meanQuality', 'overdue', 'downloads', 'feedback'] as const).map((k) => (
                <th scope="col" class="num">
                  {w.columns[k]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((d) => (
              <tr>
                <th scope="row">
                  <a href={catalogHref({ department: d.departmentCode })}>{d.department}</a>
                </th>
                <td class="num">{d.datasets.unconditional}</td>
                <td class="num">{d.datasets.conditional}</td>
                <td class="num">{d.datasets.notOpen}</td>
                <td class="num">{d.datasets.total}</td>
                <td class="num">{Math.round(d.meanQuality)}</td>
                <td class="num">{d.overdueUpdates}</td>
                <td class="num">{d.downloads}</td>
                <td class="num">
                  {d.feedback.open} / {d.feedback.resolved}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        </Wide>
      </Layout>,
    );
  });
}
