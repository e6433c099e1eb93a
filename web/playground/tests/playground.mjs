// node playground.mjs <baseURL> <outdir>: opens GraphiQL at <baseURL>/ with
// every other origin cut off (as offline), runs a query, sends a header,
// opens an example, and saves screenshots in <outdir>.
import { join } from 'node:path';
import { launch, fail } from './browser.mjs';

const [base, out] = process.argv.slice(2);
if (!base || !out) fail('usage: node playground.mjs <baseURL> <outdir>');
const origin = new URL(base).origin;

const { context, close } = await launch();
const elsewhere = [];
const problems = [];
await context.route('**/*', (route) => {
  const url = new URL(route.request().url());
  if (url.origin !== origin && url.protocol !== 'data:' && url.protocol !== 'blob:') {
    elsewhere.push(url.href);
    return route.abort();
  }
  return route.continue();
});
const page = context.pages()[0] ?? (await context.newPage());
if (process.env.DEBUG_PLAYGROUND) {
  page.on('request', (r) => r.url().endsWith('/graphql') && console.log('>>', r.postData()?.slice(0, 200)));
  page.on('response', async (r) => r.url().endsWith('/graphql') && console.log('<<', r.status(), (await r.text()).slice(0, 200)));
}
page.on('pageerror', (e) => problems.push('page error: ' + e.message));
page.on('console', (m) => {
  // A CSP violation or a failed load is an error here; the favicon the
  // browser asks for on its own is not the page's.
  if (m.type() === 'error' && !/favicon/.test(m.location()?.url ?? '')) problems.push('console: ' + m.text());
});

const text = (sel) => page.locator(sel).innerText();
const until = async (what, fn, ms = 20000) => {
  const end = Date.now() + ms;
  for (;;) {
    if (await fn().catch(() => false)) return;
    if (Date.now() > end) {
      await page.screenshot({ path: join(out, 'failure.png') });
      const response = await text('.graphiql-response').catch((e) => String(e));
      fail(`${what} (screenshot failure.png); the response pane holds: ${response}` +
        (problems.length ? '\n' + problems.join('\n') : ''));
    }
    await page.waitForTimeout(100);
  }
};

await page.goto(base + '/');
await until('the query editor shows the first example', async () =>
  (await text('.graphiql-query-editor')).includes('phoneSignupStatus'));
const tabs = await page.locator('.graphiql-tab').count();
if (tabs !== 4) fail(`want the 4 example tabs, got ${tabs}`);
// The schema came through introspection: the docs pane knows the root types.
await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
await until('the docs pane lists Query', async () => (await text('.graphiql-plugin')).includes('Query'));
await page.screenshot({ path: join(out, 'playground.png') });

// A query of our own, typed into the editor and run.
const typeInto = async (sel, value) => {
  await page.locator(sel.includes('[') ? sel : sel + ' .monaco-editor').first().click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(value);
};
await typeInto('.graphiql-query-editor', '{ serverInfo { version } }');
// The run button becomes an operation picker while the tab's facts still
// list the example's four operations: wait for the one anonymous query.
await until('the tab to hold one anonymous query', async () =>
  (await text('.graphiql-tab-active')).includes('<untitled>'));
await page.locator('.graphiql-execute-button').click();
await until('the answer to serverInfo', async () => (await text('.graphiql-response')).includes('"version"'));

// The headers editor reaches the server: a token that is no token is refused.
await page.getByRole('button', { name: 'Headers' }).click();
await typeInto('.graphiql-editor-tool [data-uri$="headers.json"]', '{"Authorization": "Bearer not-a-token"}');
await typeInto('.graphiql-query-editor', '{ me { id } }');
await page.locator('.graphiql-execute-button').click();
await until('UNAUTHENTICATED for the bad bearer token', async () =>
  (await text('.graphiql-response')).includes('UNAUTHENTICATED'));
await page.screenshot({ path: join(out, 'playground-headers.png') });

// The Examples pane opens an example in a tab of its own.
await page.getByRole('button', { name: 'Show Examples' }).click();
await page.locator('[data-example="Staff: user search"]').click();
await until('a fifth tab with the staff search', async () =>
  (await page.locator('.graphiql-tab').count()) === 5 && (await text('.graphiql-query-editor')).includes('totalCount'));
await page.screenshot({ path: join(out, 'playground-examples.png') });

await close();
if (elsewhere.length) fail('the page asked another origin for:\n' + elsewhere.join('\n'));
if (problems.length) fail(problems.join('\n'));
console.log('ok: GraphiQL loaded offline, ran a query, sent a header, opened an example');
