// A wide table in a scroll region of its own: on a phone the table scrolls sideways inside the region (a keyboard
// reaches it: it is focusable and labelled), and the page itself never does.
import type { Child } from 'hono/jsx';

export function Wide(props: { label: string; children?: Child }) {
  return (
    <div class="wide" role="region" aria-label={props.label} tabindex={0}>
      {props.children}
    </div>
  );
}
