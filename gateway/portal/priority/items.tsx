// The items of one department's priority list, with the columns of the published list.
import type { showPublicPriorityYear } from '../../../catalog-open/index.ts';
import { useWords } from '../lang.ts';
import { Badge } from '../layout.tsx';
import { wordOf } from '../words.ts';

type Item = Awaited<ReturnType<typeof showPublicPriorityYear>>['departments'][number]['items'][number];

export function ItemsTable(props: { items: Item[] }) {
  const W = useWords();
  const col = W.priority.columns;
  return (
    <table class="items">
      <thead>
        <tr>
          <th scope="col" class="num">
            {col.seq}
          </th>
          <th scope="col">{col.theme}</th>
          <th scope="col">{col.name}</th>
          <th scope="col">{col.department}</th>
          <th scope="col">{col.openType}</th>
          <th scope="col">{col.accessMethods}</th>
          <th scope="col">{col.formats}</th>
          <th scope="col">{col.updateCycle}</th>
          <th scope="col">{col.plannedDate}</th>
          <th scope="col">{col.status}</th>
          <th scope="col">{col.link}</th>
        </tr>
      </thead>
      <tbody>
        {props.items.map((i) => (
          <tr>
            <td class="num">{i.seq}</td>
            <td>{i.theme}</td>
            <td>
              {i.name}
              {i.note ? <span class="muted"> （{i.note}）</span> : null}
            </td>
            <td>{i.department}</td>
            <td>{wordOf(W.openType, i.openType)}</td>
            <td>{i.accessMethods.map((m) => wordOf(W.accessMethod, m)).join(W.listSep)}</td>
            <td>{i.formats.join(W.listSep)}</td>
            <td>{wordOf(W.updateCycle, i.updateCycle)}</td>
            <td>{i.plannedDate}</td>
            <td>
              <Badge value={i.status}>{wordOf(W.itemStatus, i.status)}</Badge>
            </td>
            <td>{i.link && i.datasetCode ? <a href={`/portal/datasets/${encodeURIComponent(i.datasetCode)}`}>{W.priority.view}</a> : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
