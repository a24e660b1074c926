import type { Page } from '@playwright/test';
import { expect, test, uniqueName } from './fixtures';

// Hostile content is rendered inert on every page: HTML and script payloads planted through the
// API — workflow names and stage configs, run variables, error messages that echo input, trigger
// names/filters/vars, event payloads, ledger/wallet/payment metadata — must show up as text, and
// nothing may execute or be injected: no dialog, no `window.__pwned`, no element carrying an
// inline handler, no inline script, no `javascript:` link, no CSP violation.

const V2 = '/api/orchestration/v2';

const PAYLOADS = [
  `<img src=x onerror="window.__pwned='img'">`,
  `<script>window.__pwned='script'</script>`,
  `"><svg onload="window.__pwned='svg'">`,
  `javascript:window.__pwned='href'`,
  `<a href="javascript:window.__pwned='a'">click</a>`,
  `{{constructor.constructor('window.__pwned="tpl"')()}}`,
  `<iframe srcdoc="<script>parent.__pwned='iframe'</script>"></iframe>`,
  `<style>*{display:none}</style>`,
];
const P = PAYLOADS.join(' ');

/** What a page must not contain or do once rendered. */
async function injected(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const w = window as unknown as { __pwned?: string };
    if (w.__pwned) found.push(`window.__pwned = ${w.__pwned}`);
    for (const el of Array.from(document.querySelectorAll('*'))) {
      for (const attr of Array.from(el.attributes)) {
        if (/^on/i.test(attr.name)) found.push(`<${el.tagName.toLowerCase()} ${attr.name}>`);
        if (/^(href|src|action|formaction|xlink:href)$/i.test(attr.name) && /^\s*javascript:/i.test(attr.value))
          found.push(`<${el.tagName.toLowerCase()} ${attr.name}="${attr.value.slice(0, 40)}">`);
      }
    }
    for (const s of Array.from(document.querySelectorAll('script'))) if (!s.src) found.push(`inline <script>: ${s.textContent?.slice(0, 40)}`);
    for (const f of Array.from(document.querySelectorAll('iframe[srcdoc]'))) found.push(`<iframe srcdoc>: ${f.getAttribute('srcdoc')?.slice(0, 40)}`);
    for (const s of Array.from(document.querySelectorAll('style'))) if (s.textContent?.includes('display:none')) found.push('injected <style>');
    return found;
  });
}

test.describe('hostile content', () => {
  test.describe.configure({ timeout: 240_000 });

  test('payloads planted through the API render as text on every page; nothing executes', async ({ page, api }) => {
    const dialogs: string[] = [];
    const csp: string[] = [];
    page.on('dialog', async (d) => {
      dialogs.push(`${d.type()}: ${d.message()}`);
      await d.dismiss();
    });
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to (execute|load|apply)/i.test(m.text())) csp.push(m.text().slice(0, 200));
    });

    // --- Plant
    const tag = uniqueName('xss');
    const ledger = tag.replace(/[^0-9A-Za-z_-]/g, '_').slice(0, 60);
    const send = (amount: unknown) => ({
      send: {
        source: { account: { id: 'world', ledger } },
        destination: { account: { id: 'victims:1', ledger } },
        amount: { asset: 'USD/2', amount },
        metadata: { note: P, source: '${note}' },
      },
    });
    const wf = (await api.post(`${V2}/workflows`, { name: `${tag} ${P}`, stages: [send(1), { wait_event: { event: P } }] })).data;
    const waiting = (await api.post(`${V2}/workflows/${wf.id}/instances`, { note: P })).data.id as string;
    // an error message that echoes the input: the destination account is the payload (an amount
    // is checked when the run is asked for, so a payload there is a 400 and nothing runs)
    const failing = (
      await api.post(`${V2}/workflows`, { name: `${tag}-fails ${P}`, stages: [{ send: { ...send(1).send, destination: { account: { id: '${dest}', ledger } } } }] })
    ).data;
    const failed = (await api.post(`${V2}/workflows/${failing.id}/instances`, { dest: P, note: P })).data.id as string;
    const trigger = (
      await api.post(`${V2}/triggers`, {
        name: `${tag} ${P}`,
        event: 'XSS_PLANTED',
        workflowID: wf.id,
        filter: `event.note == ${JSON.stringify(P)}`,
        vars: { note: 'event.note' },
      })
    ).data;
    await api.post('/api/console/events', { type: 'XSS_PLANTED', payload: { note: P, [P]: [P, { html: P }] } });
    await api.post(`/api/ledger/v2/${ledger}/transactions`, {
      postings: [{ source: 'world', destination: 'victims:2', amount: 5, asset: 'USD/2' }],
      metadata: { note: P, [P.slice(0, 60)]: P },
      reference: `${tag}-${P}`.slice(0, 200),
    });
    await api.post(`/api/ledger/v2/${ledger}/accounts/victims:2/metadata`, { note: P });
    const wallet = (await api.post('/api/wallets/wallets', { name: `${tag} ${P}`, metadata: { note: P } })).data;
    const payment = (await api.post('/api/console/payments', { asset: 'USD/2', amount: 100, reference: `${tag} ${P}`, metadata: { note: P } })).data;

    // the trigger fired and the failing run failed: their pages have something to show
    let fired: string | undefined;
    await expect
      .poll(
        async () => {
          const occ = (await api.get(`${V2}/triggers/${trigger.id}/occurrences`)).cursor.data;
          fired = occ[0]?.workflowInstanceID;
          const f = (await api.get(`${V2}/instances/${failed}`)).data;
          return !!fired && f.terminated;
        },
        { timeout: 30_000 },
      )
      .toBe(true);
    const failure = (await api.get(`${V2}/instances/${failed}`)).data.error as string;
    expect(failure, 'the error message echoes the payload').toContain('onerror');

    // --- Visit every page
    const enc = encodeURIComponent;
    const pages: { url: string; shows?: boolean }[] = [
      { url: '/' },
      { url: '/workflows' },
      { url: `/workflows/${wf.id}`, shows: true },
      { url: `/workflows/${failing.id}` },
      { url: '/workflows/new' },
      { url: '/instances' },
      { url: `/instances/${waiting}`, shows: true },
      { url: `/instances/${waiting}?stage=1` },
      { url: `/instances/${failed}`, shows: true },
      { url: `/instances/${fired}` },
      { url: '/triggers' },
      { url: `/triggers/${trigger.id}`, shows: true },
      { url: '/triggers/new' },
      { url: '/sandbox' },
      { url: '/sandbox/events', shows: true },
      { url: `/sandbox/ledger?ledger=${enc(ledger)}` },
      { url: `/sandbox/ledger?ledger=${enc(ledger)}&tab=transactions`, shows: true },
      { url: `/sandbox/ledger?ledger=${enc(ledger)}&account=${enc('victims:2')}` },
      { url: `/sandbox/ledger?ledger=${enc(ledger)}&tx=1` },
      { url: '/sandbox/wallets' },
      { url: `/sandbox/wallets?wallet=${enc(wallet.id)}` },
      { url: '/sandbox/payments' },
      { url: `/sandbox/payments?payment=${enc(payment.id)}` },
      { url: '/settings' },
      // the payload in the URL itself (search params, unknown ids)
      { url: `/workflows?q=${enc(P)}` },
      { url: `/instances?q=${enc(P)}` },
      { url: `/instances/${enc(P)}` },
      { url: `/sandbox/ledger?ledger=${enc(P)}&address=${enc(P)}` },
    ];
    // the detector itself: the same payload inserted as HTML is caught
    await page.goto('/');
    const canary = await page.evaluate((html) => {
      const div = document.createElement('div');
      div.id = 'canary';
      div.innerHTML = html;
      document.body.append(div);
      return true;
    }, P);
    expect(canary).toBe(true);
    await page.waitForTimeout(1_000); // let the browser refuse the canary's handlers
    expect((await injected(page)).length, 'the detector sees HTML injection').toBeGreaterThanOrEqual(4);
    expect(csp.length, 'CSP refused the canary').toBeGreaterThan(0);
    await page.goto('/workflows');
    csp.length = 0; // the canary's refusals

    const problems: string[] = [];
    let shown = 0;
    for (const { url, shows } of pages) {
      await page.goto(url);
      await expect(page.locator('main, [role="main"], body').first()).toBeVisible();
      // let lazy chunks, queries and their renders settle
      await page.waitForLoadState('networkidle', { timeout: 2_500 }).catch(() => {});
      await page.waitForTimeout(300);
      for (const p of await injected(page)) problems.push(`${url}: ${p}`);
      if (shows) {
        const text = await page.evaluate(() => document.body.innerText);
        if (text.includes('__pwned')) shown++;
        else problems.push(`${url}: the payload is not shown as text`);
      }
    }
    expect(problems).toEqual([]);
    expect(dialogs, 'dialogs opened').toEqual([]);
    expect(csp, 'CSP violations (something tried to run)').toEqual([]);
    console.log(
      `hostile content: ${PAYLOADS.length} payloads planted in 12 places, ${pages.length} pages visited, shown as text on ${shown}, nothing executed or injected`,
    );
  });
});
