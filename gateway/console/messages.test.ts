// Errors in the console speak the reader's language: the action that did not complete and why, from the error's
// code — never the verb's English message or the raw code — and the fields to change, in words.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, PASSWORDS, type TestGateway } from '../testing/test-gateway.ts';
import { createTestOperator, VALID_USCC } from '../testing/test-operator.ts';
import { actionOf } from './messages.ts';

let gw: TestGateway;
let cookie: string;
let csrf: string;

beforeAll(async () => {
  gw = await createTestGateway();
  await createTestOperator(gw, await gw.login('security', PASSWORDS.security));
  const res = await gw.app.request('/console/login', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' },
    body: new URLSearchParams({ username: 'security', password: PASSWORDS.security }).toString(),
  });
  cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  csrf = /name="_csrf" value="([^"]+)"/.exec(await (await gw.app.request('/console/whitelist', { headers: { cookie } })).text())![1]!;
});
afterAll(() => gw?.close());

const register = (fields: Record<string, string>, lang = 'zh') =>
  gw.app.request('/console/whitelist', {
    method: 'POST',
    headers: { cookie: `${cookie}; console_lang=${lang}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
  });
const alertText = (html: string) => /<div class="notice error" role="alert">([^]*?)<\/div>/.exec(html)?.[1]?.replace(/<[^>]+>/g, ' ') ?? '';
const JWK = JSON.stringify({ kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' });

describe('console error messages', () => {
  it('a duplicate unified social credit code: the action and the reason in Chinese, no English, no raw code', async () => {
    const res = await register({ name: '另一家公司', uscc: VALID_USCC, contactName: '王五', email: 'w@example.com', phone: '+86-571-88880002', jwk: JWK });
    expect(res.status).toBe(409);
    const html = await res.text();
    expect(html).toContain('<h1>登记运营方未完成</h1>');
    expect(alertText(html)).toContain('已有使用该统一社会信用代码的运营方');
    expect(html).not.toContain('CONFLICT');
    expect(html).not.toMatch(/is registered|unified social credit code/i);
  });

  it('a form with bad fields names them in words; in English when English is chosen', async () => {
    const res = await register({ name: 'x', uscc: '123', contactName: '', email: 'not-an-email', phone: '', jwk: JWK });
    expect(res.status).toBe(422);
    const text = alertText(await res.text());
    for (const field of ['名称', '统一社会信用代码', '电子邮箱']) expect(text).toContain(field);
    expect(text).not.toMatch(/VALIDATION_FAILED|invalid|Too small|contact\.email/);
    const en = alertText(await (await register({ name: 'x', uscc: '123', contactName: '', email: 'bad', phone: '', jwk: JWK }, 'en')).text());
    expect(en).toContain('Unified social credit code');
    expect(en).toContain('Email');
    expect(en).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it('knows which action a console request is', () => {
    expect(actionOf('POST', '/console/whitelist/op_1/licenses')).toBe('grantLicence');
    expect(actionOf('POST', '/console/audit/checkpoints')).toBe('signCheckpoint');
    expect(actionOf('GET', '/console/whitelist')).toBe('view');
  });
});
