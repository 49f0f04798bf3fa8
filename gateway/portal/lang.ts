// The portal's language: Chinese by default, English on request. The header's switch is a GET link that sets a
// cookie (path /portal, SameSite=Strict) and sends the reader back to the page they were on.
import type { Context } from 'hono';
import { createContext, useContext } from 'hono/jsx';
import { getCookie, setCookie } from 'hono/cookie';
import { DICTIONARIES, type Lang, type PortalWords } from './words.ts';

export const LANG_COOKIE = 'portal_lang';

export function langOf(c: Context): Lang {
  return getCookie(c, LANG_COOKIE) === 'en' ? 'en' : 'zh';
}

/** Sets the language cookie; anything but 'en' means Chinese. */
export function setLang(c: Context, to: string | undefined): void {
  const secure = new URL(c.req.url).protocol === 'https:';
  setCookie(c, LANG_COOKIE, to === 'en' ? 'en' : 'zh', { path: '/portal', sameSite: 'Strict', httpOnly: true, secure, maxAge: 365 * 86400 });
}

/** Where the switch may send the reader back to: a portal path, never another origin ('//host', '/\host'). */
export function safeNext(next: string | undefined): string {
  return next && /^\/portal(\/[A-Za-z0-9\-_/.%?=&~+]*)?$/.test(next) ? next : '/portal/datasets';
}

/** What every page needs besides its data: the language, its words, and the address the switch returns to. */
export interface View {
  lang: Lang;
  W: PortalWords;
  here: string;
}

export function viewOf(c: Context): View {
  const lang = langOf(c);
  const url = new URL(c.req.url);
  // a form's answer (POST) has no address of its own: the switch returns to the page the form is on
  const here = c.req.method === 'GET' ? url.pathname + url.search : url.pathname.replace(/\/(apply|feedback)$/, '');
  return { lang, W: DICTIONARIES[lang], here };
}

/** The words of the page being rendered; the Layout provides them to every component inside it. */
export const WordsContext = createContext<PortalWords>(DICTIONARIES.zh);
export const useWords = (): PortalWords => useContext(WordsContext);
