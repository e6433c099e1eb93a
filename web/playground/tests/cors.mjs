// node cors.mjs <allowedPageURL> <refusedPageURL> <outdir>: each page
// calls Gatehouse's /graphql from its own origin (see the Go test's
// corsPage). The listed origin reads the answer; the other is refused by
// the browser itself.
import { join } from 'node:path';
import { launch, fail } from './browser.mjs';

const [allowed, refused, out] = process.argv.slice(2);
if (!allowed || !refused || !out) fail('usage: node cors.mjs <allowedPageURL> <refusedPageURL> <outdir>');

const { context, close } = await launch();
const page = context.pages()[0] ?? (await context.newPage());
const result = async (url, name) => {
  await page.goto(url);
  await page.waitForFunction(() => document.getElementById('result').textContent !== '…', null, { timeout: 20000 });
  await page.screenshot({ path: join(out, name) });
  return page.locator('#result').innerText();
};

const ok = await result(allowed, 'cors-allowed.png');
// The page reads Gatehouse's answer and the exposed X-Request-Id (the
// bearer header only makes the browser preflight: serverInfo is public).
if (!/^answered: 200 [0-9a-f-]{36} /.test(ok) || !ok.includes('"serverInfo"'))
  fail('the listed origin did not read the answer: ' + ok);
const no = await result(refused, 'cors-refused.png');
if (!no.startsWith('refused: TypeError')) fail('an origin not listed read the answer: ' + no);
await close();
console.log('ok: listed origin read ' + ok.slice(0, 120) + ' | other origin ' + no);
