// The console in a real browser (Debian's chromium, driven by
// playwright-core): run by TestConsoleInBrowser (cmd/gatehouse/app) as
//   node web/console/tests/console.mjs <baseURL> <outdir>
// with GATEHOUSE_CONSOLE_TEST (JSON: the people to sign in as, and the
// test's helper URL that hands out the codes Gatehouse e-mailed).
// A COMPLIANCE reviewer signs in by keyboard, finds a user, opens them and
// approves their KYC submission and a PIN reset; an ADMIN edits a permission and sees a refusal, then
// opens the dead letters: sending again one whose code expired is refused (CONFLICT), one whose number
// was fixed is sent again and leaves the list; a SUPERADMIN adds a flag. Every page is saved as a
// screenshot in <outdir>.
import { chromium } from 'playwright-core';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [base, outdir] = process.argv.slice(2);
const env = JSON.parse(process.env.GATEHOUSE_CONSOLE_TEST ?? '{}');
if (!base || !outdir || !env.helper) {
  console.error('usage: GATEHOUSE_CONSOLE_TEST=... node console.mjs <baseURL> <outdir>');
  process.exit(2);
}
mkdirSync(outdir, { recursive: true });

const shots = [];
const problems = [];
async function shot(page, name) {
  const file = join(outdir, name + '.png');
  await page.screenshot({ path: file, fullPage: true });
  shots.push(file);
}

function expect(cond, what) {
  if (!cond) throw new Error('expected: ' + what);
}

async function helper(path) {
  const r = await fetch(env.helper + path);
  if (!r.ok) throw new Error(`helper ${path}: ${r.status} ${await r.text()}`);
  return r.json();
}

// Every input and select of the page has a label a screen reader reads.
async function labelled(page, where) {
  const unlabelled = await page.$$eval('input, select, textarea', (els) =>
    els
      .filter((e) => e.type !== 'hidden')
      .filter((e) => !(e.labels && e.labels.length > 0) && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby'))
      .map((e) => e.outerHTML.slice(0, 80)),
  );
  expect(unlabelled.length === 0, `every input on ${where} has a label; these have none: ${unlabelled.join(', ')}`);
}

// signIn uses the keyboard only: Tab to the form, type, Enter to submit,
// then the code Gatehouse sent, and Enter again. who has email and
// password, or phone and pin (the dev SUPERADMIN of `make run`).
async function signIn(page, who, name) {
  await page.goto(base + '/console/');
  await page.getByRole('heading', { name: 'Gatehouse staff console' }).waitFor();
  await labelled(page, 'the sign-in page');
  if (who.pin) await page.getByRole('button', { name: 'Phone and PIN' }).click();
  const username = page.getByLabel(who.pin ? 'Phone' : 'Email or phone');
  for (let i = 0; i < 10 && !(await username.evaluate((e) => e === document.activeElement)); i++) {
    await page.keyboard.press('Tab');
  }
  expect(await username.evaluate((e) => e === document.activeElement), 'Tab reaches the username field');
  await page.keyboard.type(who.pin ? who.phone : who.email);
  await page.keyboard.press('Tab');
  const secret = page.getByLabel(who.pin ? 'PIN' : 'Password');
  expect(await secret.evaluate((e) => e === document.activeElement), 'Tab moves to the password or PIN');
  await page.keyboard.type(who.pin ?? who.password);
  if (name) await shot(page, name);
  const to = encodeURIComponent(who.pin ? who.phone : who.email);
  const { count } = await helper('/count?to=' + to);
  await page.keyboard.press('Enter');
  await page.getByLabel('Code').waitFor();
  await labelled(page, 'the code step');
  const { code } = await helper(`/code?to=${to}&before=${count}`);
  await page.getByLabel('Code').focus();
  await page.keyboard.type(code);
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

// The navigation once the role's pages are known (myPermissions answers
// after the sign-in itself).
async function navLinks(page) {
  await page.locator('header nav a').first().waitFor();
  return page.$$eval('header nav a', (as) => as.map((a) => a.textContent.trim()));
}

// Every KYC picture on the page loaded (its signed link, under the CSP).
async function picturesLoaded(page, least) {
  await page.waitForFunction(
    (n) => [...document.querySelectorAll('img')].filter((i) => i.complete && i.naturalWidth > 0).length >= n,
    least,
    { timeout: 10_000 },
  );
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
let failed = false;
let page;
try {
  // --- The reviewer --------------------------------------------------
  let ctx = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  page = await ctx.newPage();
  page.on('console', (m) => m.type() === 'error' && problems.push('console: ' + m.text()));
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  await signIn(page, env.reviewer, '01-sign-in');
  let links = await navLinks(page);
  expect(links.includes('Users') && links.includes('KYC review'), `reviewer sees Users and KYC review: ${links}`);
  expect(!links.includes('Permissions') && !links.includes('Admin activities') && !links.includes('Dead letters'),
    `the rows hide Permissions, Admin activities and Dead letters from COMPLIANCE: ${links}`);

  await page.getByRole('heading', { name: 'Users' }).waitFor();
  await page.getByRole('table').waitFor();
  await labelled(page, 'the users page');
  await shot(page, '02-users');
  await page.getByLabel('Name').fill(env.applicant.firstName);
  await page.getByLabel('Name').press('Enter');
  await page.getByText('1 users match').waitFor();
  await page.locator('tbody a').first().click();
  await page.getByRole('heading', { name: 'Profile' }).waitFor();
  await page.getByText(`${env.applicant.firstName} ${env.applicant.lastName}`).first().waitFor();
  await picturesLoaded(page, 3);
  expect(await page.getByRole('button', { name: 'Change state' }).isDisabled(),
    'Change state is disabled for COMPLIANCE (setUserState is not in its rows)');
  expect(await page.getByRole('button', { name: 'Set a label' }).isEnabled(), 'COMPLIANCE may set labels');
  await labelled(page, 'the user page');
  await shot(page, '03-user');
  // Back returns to the same search (it is kept in the address).
  await page.goBack();
  await page.getByText('1 users match').waitFor();
  expect((await page.getByLabel('Name').inputValue()) === env.applicant.firstName, 'the name filter is still there');

  await page.getByRole('link', { name: 'KYC review' }).click();
  const card = page.getByRole('article', { name: `Submission of ${env.applicant.firstName} ${env.applicant.lastName}` });
  await card.waitFor();
  await picturesLoaded(page, 3);
  await shot(page, '04-kyc-review');
  await card.getByRole('button', { name: 'Approve' }).click();
  // The decided submission leaves the queue (seeded ones may stay).
  await card.waitFor({ state: 'detached' });

  await page.getByRole('link', { name: 'PIN resets' }).click();
  await page.getByRole('heading', { name: 'PIN resets' }).waitFor();
  const reset = page.getByRole('article', { name: `PIN reset of ${env.reset.phone}` });
  await reset.waitFor();
  await picturesLoaded(page, 2);
  await shot(page, '05-pin-resets');
  await reset.getByRole('button', { name: 'Approve' }).click();
  await page.getByText('No PIN resets here.').waitFor();

  await page.getByRole('link', { name: 'Metrics' }).click();
  await page.locator('svg polyline').first().waitFor();
  const charts = await page.locator('figure.chart').count();
  expect(charts === 4, `four charts, got ${charts}`);
  await shot(page, '06-metrics');

  // A reload keeps the tab signed in (the refresh token is in
  // sessionStorage) and lands on the same page.
  await page.reload();
  await page.getByRole('heading', { name: 'Metrics' }).waitFor();
  await ctx.close();

  // --- The admin edits a permission ---------------------------------
  // The default rows give ADMIN the rule table; the service keeps it to
  // the rules of the roles below ADMIN, and the page shows its refusal.
  ctx = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  page = await ctx.newPage();
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  await signIn(page, env.admin);
  links = await navLinks(page);
  expect(links.includes('Admin activities') && links.includes('Permissions') && links.includes('Dead letters'),
    `ADMIN sees Admin activities, Permissions and Dead letters: ${links}`);
  await page.getByRole('link', { name: 'Permissions' }).click();
  await page.getByRole('heading', { name: 'Permissions' }).waitFor();
  await page.locator('tbody tr').first().waitFor();
  await page.getByLabel('Role', { exact: true }).selectOption(env.edit.role);
  await page.getByLabel('Operation contains').fill(env.edit.operation);
  const row = page.locator(`tr[data-rule="${env.edit.role} ${env.edit.operation}"]`);
  await row.waitFor();
  await row.getByRole('button', { name: `Edit ${env.edit.role} ${env.edit.operation}` }).click();
  await row.getByLabel('New action').selectOption(env.edit.action);
  await row.getByLabel(/^Reason/).fill(env.edit.reason);
  await labelled(page, 'the permissions page');
  await shot(page, '07-permissions-edit');
  await row.getByRole('button', { name: `Edit ${env.edit.role} ${env.edit.operation}` }).click();
  await row.locator('td', { hasText: new RegExp(`^${env.edit.action}$`) }).waitFor();

  // A rule of ADMIN's own is refused (FORBIDDEN, PERMISSION_ABOVE_YOUR_ROLE),
  // and the refusal is shown with its message.
  await page.getByLabel('Role', { exact: true }).selectOption(env.above.role);
  await page.getByLabel('Operation contains').fill(env.above.operation);
  const above = page.locator(`tr[data-rule="${env.above.role} ${env.above.operation}"]`);
  await above.waitFor();
  await above.getByRole('button', { name: `Edit ${env.above.role} ${env.above.operation}` }).click();
  await above.getByLabel('New action').selectOption(env.above.action);
  await above.getByLabel(/^Reason/).fill(env.above.reason);
  await above.getByRole('button', { name: `Edit ${env.above.role} ${env.above.operation}` }).click();
  const alert = above.locator('[role=alert]');
  await alert.waitFor();
  const said = await alert.textContent();
  expect(/below ADMIN/.test(said) && (await alert.getAttribute('data-code')) === 'FORBIDDEN',
    `the refusal is shown with its message: ${said}`);
  await shot(page, '08-permissions-refusal');

  // The dead letters: each row shows why, where to (masked) and what the
  // provider said.
  await page.getByRole('link', { name: 'Dead letters' }).click();
  await page.getByRole('heading', { name: 'Dead letters' }).waitFor();
  const letter = page.locator(`tr[data-delivery="${env.deadLetter.id}"]`);
  const expired = page.locator(`tr[data-delivery="${env.expiredLetter.id}"]`);
  await letter.waitFor();
  await expired.waitFor();
  const shown = await letter.textContent();
  expect(shown.includes(env.deadLetter.reason) && shown.includes(env.deadLetter.masked) && shown.includes(env.deadLetter.detail),
    `the dead letter shows its reason, masked number and the provider's answer: ${shown}`);
  expect(!shown.includes(env.deadLetter.phone), `the number is masked: ${shown}`);
  expect((await expired.textContent()).includes(env.expiredLetter.reason), 'the expired letter shows its reason');
  await labelled(page, 'the dead letters page');
  await shot(page, '12-dead-letters');
  // Its code expired: the server refuses, and the row says why.
  await expired.getByRole('button', { name: 'Send again' }).click();
  const refusal = expired.locator('[role=alert]');
  await refusal.waitFor();
  const why = await refusal.textContent();
  expect((await refusal.getAttribute('data-code')) === 'CONFLICT' && /expired/.test(why),
    `sending an expired code again is refused with its reason: ${why}`);
  await shot(page, '13-dead-letters-conflict');
  // The number was fixed: it is queued again, and leaves the list.
  await letter.getByRole('button', { name: 'Send again' }).click();
  await letter.waitFor({ state: 'detached' });
  const queued = await page.getByRole('status').textContent();
  expect(queued.includes(env.deadLetter.masked) && queued.includes('QUEUED'), `the retry's answer is shown: ${queued}`);
  expect(await expired.isVisible(), 'the expired letter stays');
  await shot(page, '14-dead-letters-sent');
  await ctx.close();

  // --- The superadmin --------------------------------------------------
  ctx = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  page = await ctx.newPage();
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  await signIn(page, env.super);
  await page.getByRole('link', { name: 'Permissions' }).waitFor();
  await page.getByRole('link', { name: 'Admin activities' }).click();
  await page.getByRole('cell', { name: 'updatePermission' }).first().waitFor();
  await page.getByRole('cell', { name: env.edit.reason }).first().waitFor();
  await shot(page, '09-admin-activities');

  // Operator settings: a new feature flag, with its reason.
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('heading', { name: 'Feature flags' }).waitFor();
  await page.getByRole('button', { name: 'Add a flag' }).click();
  await page.getByLabel('Flag key').fill(env.flag.key);
  await page.getByLabel('Flag description').fill(env.flag.description);
  await page.getByLabel('Reason for "Add a flag"').fill(env.flag.reason);
  await labelled(page, 'the settings page');
  await page.getByLabel('Reason for "Add a flag"').press('Enter');
  await page.locator(`tr[data-flag="${env.flag.key}"]`).waitFor();
  await shot(page, '10-settings');

  await page.getByRole('link', { name: 'Levels' }).click();
  await page.getByRole('heading', { name: 'Recomputations' }).waitFor();
  await labelled(page, 'the levels page');
  await shot(page, '11-levels');
  await ctx.close();
} catch (e) {
  failed = true;
  console.error(e.stack ?? String(e));
  if (page) {
    try { await shot(page, 'failure'); } catch { /* the page may be gone */ }
  }
} finally {
  await browser.close();
}
const csp = problems.filter((p) => /Content Security Policy/i.test(p));
if (csp.length > 0) {
  failed = true;
  console.error('CSP violations:\n' + csp.join('\n'));
}
writeFileSync(join(outdir, 'result.json'), JSON.stringify({ failed, shots, problems }, null, 2));
console.log(JSON.stringify({ failed, shots, problems }));
process.exit(failed ? 1 : 0);
