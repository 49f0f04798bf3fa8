// The read-only sections of a dataset page: metadata, fields, downloads, versions and the quality score.
import type { CatalogEntryView } from '../../../catalog-open/index.ts';
import { useWords } from '../lang.ts';
import { Badge, day, Time } from '../layout.tsx';
import { wordOf } from '../words.ts';
import { Wide } from '../../ui/wide-table.tsx';

function bytes(n: number | null): string {
  if (n === null) return '—';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function Fact(props: { term: string; children?: unknown }) {
  return (
    <div>
      <dt>{props.term}</dt>
      <dd>{props.children as never}</dd>
    </div>
  );
}

export function DatasetFacts(props: { entry: CatalogEntryView }) {
  const W = useWords();
  const w = W.dataset;
  const e = props.entry;
  const cls = e.classification;
  const temporal = e.temporal.start || e.temporal.end ? W.temporal(e.temporal.start ?? null, e.temporal.end ?? null) : '—';
  return (
    <section aria-labelledby="meta-h">
      <h2 id="meta-h">{w.metadata}</h2>
      <dl class="meta">
        <Fact term={w.resourceCode}>
          <code>{e.resourceCode}</code>
        </Fact>
        <Fact term={w.department}>{e.department}</Fact>
        <Fact term={w.theme}>{e.theme}</Fact>
        {cls && <Fact term={w.classification}>{[cls.category, cls.item, cls.section, cls.detail].filter(Boolean).join(' / ')}</Fact>}
        <Fact term={w.openType}>
          <Badge value={e.openType}>{wordOf(W.openType, e.openType)}</Badge>
        </Fact>
        {e.openConditions && <Fact term={w.openConditions}>{e.openConditions}</Fact>}
        <Fact term={w.shareType}>{wordOf(W.shareType, e.shareType)}</Fact>
        <Fact term={w.grade}>{wordOf(W.grade, e.grade)}</Fact>
        <Fact term={w.personalInfo}>{e.containsSensitivePersonalInfo ? w.containsSensitive : e.containsPersonalInfo ? w.containsPersonal : w.noPersonal}</Fact>
        <Fact term={w.updateCycle}>{wordOf(W.updateCycle, e.updateCycle)}</Fact>
        <Fact term={w.nextUpdate}>
          {day(e.nextUpdateDue)} {e.quality.overdue && <Badge value="overdue">{w.overdue}</Badge>}
        </Fact>
        <Fact term={w.issued}>{day(e.issued)}</Fact>
        <Fact term={w.modified}>{day(e.modified)}</Fact>
        <Fact term={w.temporal}>{temporal}</Fact>
        <Fact term={w.spatial}>{e.spatial ?? '—'}</Fact>
        <Fact term={w.license}>{e.license}</Fact>
        <Fact term={w.keywords}>{e.keywords.join(W.listSep) || '—'}</Fact>
        <Fact term={w.downloadsCount}>{e.downloads}</Fact>
      </dl>
    </section>
  );
}

export function FieldsTable(props: { entry: CatalogEntryView }) {
  const W = useWords();
  const w = W.dataset;
  const e = props.entry;
  return (
    <section aria-labelledby="fields-h">
      <h2 id="fields-h">{w.fields}</h2>
      <Wide label={W.tableRegion(w.fields)}>
      <table class="fields">
        <thead>
          <tr>
            <th scope="col">{w.fieldName}</th>
            <th scope="col">{w.fieldType}</th>
            <th scope="col">{w.fieldDescription}</th>
            <th scope="col">{w.masked}</th>
          </tr>
        </thead>
        <tbody>
          {e.fields.map((f) => (
            <tr>
              <th scope="row">
                <code>{f.name}</code>
              </th>
              <td>{f.type}</td>
              <td>{f.description}</td>
              <td>{f.masked ? <Badge value="masked">{w.maskedYes}</Badge> : w.maskedNo}</td>
            </tr>
          ))}
        </tbody>
      </table>
      </Wide>
      {e.withheldFields > 0 && <p class="muted">{w.withheld(e.withheldFields)}</p>}
    </section>
  );
}

export function Distributions(props: { entry: CatalogEntryView }) {
  const w = useWords().dataset;
  const e = props.entry;
  return (
    <section id="downloads" aria-labelledby="downloads-h">
      <h2 id="downloads-h">{w.downloads}</h2>
      {!e.downloadable || e.distributions.length === 0 ? (
        <p class="muted">{w.noDownloads}</p>
      ) : (
        <>
          <p class="muted">{w.downloadHint}</p>
          <ul class="downloads">
            {e.distributions.map((d) => (
              <li>
                <a href={d.downloadUrl} class="download" download data-format={d.format} type={d.mediaType}>
                  {d.format.toUpperCase()}
                </a>
                <span class="muted">
                  {w.version} {d.version ?? '—'} · {w.rows} {d.rowCount ?? '—'}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

export function Versions(props: { entry: CatalogEntryView }) {
  const W = useWords();
  const w = W.dataset;
  const versions = props.entry.versions;
  return (
    <section aria-labelledby="versions-h">
      <h2 id="versions-h">{w.versions}</h2>
      {versions.length === 0 ? (
        <p class="muted">{w.noDownloads}</p>
      ) : (
        <Wide label={W.tableRegion(w.versions)}>
        <table class="versions">
          <thead>
            <tr>
              <th scope="col">{w.version}</th>
              <th scope="col">{w.loadedAt}</th>
              <th scope="col" class="num">
                {w.rows}
              </th>
              <th scope="col" class="num">
                {w.size}
              </th>
              <th scope="col">{w.checksum}</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr>
                <td>{v.version}</td>
                <td><Time iso={v.loadedAt} /></td>
                <td class="num">{v.rowCount}</td>
                <td class="num">{bytes(v.byteCount)}</td>
                <td>
                  <code class="hash">{v.checksum}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        </Wide>
      )}
    </section>
  );
}

export function Quality(props: { entry: CatalogEntryView }) {
  const W = useWords();
  const w = W.dataset;
  const q = props.entry.quality;
  const parts = ['completeness', 'timeliness', 'openFormat', 'workingDownloads'] as const;
  return (
    <section aria-labelledby="quality-h">
      <h2 id="quality-h">
        {w.quality}
        {W.colon}
        <span class="score big">{q.score}</span> / 100
      </h2>
      <table class="quality">
        <tbody>
          {parts.map((p) => (
            <tr>
              <th scope="row">{w.qualityParts[p]}</th>
              <td class="num">
                {q.parts[p]} / {w.qualityMax[p]}
              </td>
              <td class="meter-cell">
                <meter min={0} max={w.qualityMax[p]} value={q.parts[p]} aria-label={w.qualityParts[p]}></meter>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {q.missing.length > 0 && (
        <p class="muted">
          {w.missing}
          {W.colon}
          {q.missing.map((m) => wordOf(w.missingParts, m)).join(W.listSep)}
        </p>
      )}
    </section>
  );
}
