// The approve / reject form with a mandatory reason: one for applications and output reviews alike.
import type { Lang } from '../i18n.ts';
import { Csrf } from '../layout.tsx';
import type { ConsoleSession } from '../session.ts';
import { WORDS } from './words.ts';

export function DecisionForm(props: { action: string; lang: Lang; session: ConsoleSession }) {
  const w = WORDS[props.lang];
  return (
    <form method="post" action={props.action} data-confirm={w.confirmDecision}>
      <Csrf session={props.session} />
      <label>
        {w.reason}
        <input name="reason" required maxlength={2000} />
      </label>
      <button type="submit" name="approve" value="true">
        {w.approve}
      </button>{' '}
      <button type="submit" name="approve" value="false" class="danger">
        {w.reject}
      </button>
    </form>
  );
}
