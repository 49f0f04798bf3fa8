// Small progressive enhancement for the console. Pages work without it; with it: confirmations, live tail.
'use strict';
document.addEventListener('submit', (event) => {
  const form = event.target;
  const question = form instanceof HTMLFormElement ? form.dataset.confirm : undefined;
  if (question && !window.confirm(question)) event.preventDefault();
});

// <tbody data-live-tail="/console/audit/tail?after=SEQ"> polls for newer rows and prepends them
function startLiveTail(body) {
  let url = body.dataset.liveTail;
  const toggle = document.querySelector('[data-live-toggle]');
  let on = toggle ? toggle.checked : true;
  if (toggle) toggle.addEventListener('change', () => { on = toggle.checked; });
  setInterval(async () => {
    if (!on || !url) return;
    const res = await fetch(url, { headers: { accept: 'text/html' }, credentials: 'same-origin' });
    if (!res.ok) return;
    const next = res.headers.get('x-next-tail');
    const html = await res.text();
    if (html.trim()) body.insertAdjacentHTML('afterbegin', html);
    if (next) url = next;
  }, 2000);
}
document.querySelectorAll('[data-live-tail]').forEach(startLiveTail);
