// The licence form of an operator's page: the dataset is picked from the registry, then its fields are ticked.
import { OPERATIONS, type DatasetRecord } from '../../../store/index.ts';
import type { Lang } from '../i18n.ts';
import { Csrf } from '../layout.tsx';
import type { ConsoleSession } from '../session.ts';
import type { OperatorView } from '../../whitelist/views.ts';
import { WORDS } from './words.ts';

/** The licence form: the dataset is picked from the registry (a GET round trip, so it works without script), then
 * its fields are ticked; validity is typed in China Standard Time. */
export function GrantForm(props: { operator: OperatorView; datasets: DatasetRecord[]; chosen: DatasetRecord | undefined; lang: Lang; session: ConsoleSession }) {
  const w = WORDS[props.lang];
  const { operator: o, chosen } = props;
  return (
    <section id="grant" aria-labelledby="grant-h">
      <h2 id="grant-h">{w.grant}</h2>
      <form method="get" action={`/console/whitelist/${o.id}`} class="filters">
        <label>
          {w.dataset}
          <select name="dataset">
            {props.datasets.map((d) => (
              <option value={d.code} selected={d.code === chosen?.code}>
                {d.name}（{d.code}）
              </option>
            ))}
          </select>
        </label>
        <button type="submit" class="secondary">
          {w.pickDataset}
        </button>
      </form>
      {!chosen ? (
        <p class="muted">{w.pickFirst}</p>
      ) : (
        <form method="post" action={`/console/whitelist/${o.id}/licenses`} class="stack" data-confirm={w.confirmGrant}>
          <Csrf session={props.session} />
          <input type="hidden" name="dataset" value={chosen.code} />
          <p>
            {w.dataset}: <strong>{chosen.name}</strong> <code class="id">{chosen.code}</code>
          </p>
          <label>
            {w.scenario}
            <input name="scenario" required minlength={2} maxlength={500} />
          </label>
          <fieldset>
            <legend>{w.fields}</legend>
            {chosen.fields.map((f) => (
              <label>
                <input type="checkbox" name="fields" value={f.name} /> {f.description || f.name} <code class="id">{f.name}</code>
              </label>
            ))}
          </fieldset>
          <fieldset>
            <legend>{w.operations}</legend>
            {OPERATIONS.map((op) => (
              <label>
                <input type="checkbox" name="operations" value={op} checked={op === 'aggregate'} /> {w.operationNames[op] ?? op}
              </label>
            ))}
          </fieldset>
          <label>
            {w.validFrom}
            <input name="validFrom" type="datetime-local" required />
          </label>
          <label>
            {w.validTo}
            <input name="validTo" type="datetime-local" required />
          </label>
          <label>
            {w.ipAllowlist}
            <input name="ipAllowlist" required value="0.0.0.0/0" />
          </label>
          <label>
            ε
            <input name="epsilon" type="number" step="0.01" min="0.01" max="100" required value="1" />
          </label>
          <label>
            {w.quota}
            <input name="maxJobsPerDay" type="number" min="1" max="100000" required value="100" />
          </label>
          <button type="submit">{w.grant}</button>
        </form>
      )}
    </section>
  );
}
