// "Where this data comes from": the release behind an open statistic, folded away under the plain-language summary.
import type { StatisticProvenance } from '../../open-statistics-provenance.ts';
import { CHECK_WORDS, say } from '../../ui/disclosure-words.ts';
import { useWords } from '../lang.ts';
import { Time } from '../layout.tsx';

export function Provenance(props: { provenance: StatisticProvenance; description: string; lang: 'zh' | 'en' }) {
  const W = useWords();
  const w = W.provenance;
  const c = CHECK_WORDS[props.lang];
  const p = props.provenance;
  const paren = (text: string) => (props.lang === 'zh' ? `（${text}）` : ` (${text})`);
  return (
    <details class="provenance" id="provenance">
      <summary>{w.title}</summary>
      <p>{w.intro}</p>
      <dl>
        <dt>{w.source}</dt>
        <dd>{w.sourceVersion(p.source.name, p.source.code, p.source.version)}</dd>
        <dt>{w.release}</dt>
        <dd>
          <code>{p.releaseId}</code>
        </dd>
        <dt>{w.producedAt}</dt>
        <dd>{p.createdAt ? <Time iso={p.createdAt} /> : w.unknown}</dd>
        <dt>{w.codeHash}</dt>
        <dd>
          <code class="hash">SHA-256 {p.codeHash.sha256 ?? w.unknown}</code>
          <br />
          <code class="hash">SM3 {p.codeHash.sm3 ?? w.unknown}</code>
        </dd>
        <dt>{w.policy}</dt>
        <dd>
          <code>{p.policyVersion ?? w.unknown}</code>
        </dd>
        {props.description && (
          <>
            <dt>{w.description}</dt>
            <dd>{props.description}</dd>
          </>
        )}
      </dl>
      {p.checks.length > 0 && (
        <table class="checks">
          <caption>{w.checks}</caption>
          <thead>
            <tr>
              <th scope="col">{w.check}</th>
              <th scope="col">{w.outcome}</th>
            </tr>
          </thead>
          <tbody>
            {p.checks.map((k) => (
              <tr data-check={k.check}>
                <th scope="row">{say(c.checks, k.check)}</th>
                <td>
                  {say(c.outcomes, k.outcome)}
                  {k.threshold !== undefined ? paren(w.threshold(k.threshold)) : ''}
                  {k.base !== undefined && k.base > 1 ? paren(w.base(k.base)) : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </details>
  );
}
