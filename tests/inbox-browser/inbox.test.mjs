// The inbox page (/inbox/) in a real browser: Debian's chromium driven by Playwright against the real service.
// InboxBrowserTests (tests/GraphNotifications.Tests/Inbox/) starts the service, mints the tokens, and runs this file
// with node; it reads these variables, and answers "@@kill" and "@@start" lines on stdout (the service killed with
// SIGKILL, started again) with a line on stdin once done.
//
//   INBOX_BASE_URL      the service, http://127.0.0.1:<port>
//   INBOX_TOKEN         a delegated token: user INBOX_USER through app A
//   INBOX_APP_TOKEN     an app-only token of app A (the app back end that posts)
//   INBOX_EXPIRED_TOKEN INBOX_TOKEN's twin that expired
//   INBOX_USER          the user's id
//   INBOX_SCREENSHOTS   the folder the screenshots are written to
//   INBOX_CHROMIUM      the browser (default /usr/bin/chromium)
//
// Every wait is on a condition, with a generous timeout: how fast things arrive is measured under bench/, not here.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import readline from 'node:readline';
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';

const env = (name) => process.env[name] ?? assert.fail(`${name} is not set`);
const base = env('INBOX_BASE_URL');
const token = env('INBOX_TOKEN');
const appToken = env('INBOX_APP_TOKEN');
const expiredToken = env('INBOX_EXPIRED_TOKEN');
const user = env('INBOX_USER');
const screenshots = env('INBOX_SCREENSHOTS');
const patience = 30_000;

const inboxFilter = "userActionState ne 'dismissed' and userActionState ne 'snoozed'";
const unreadFilter = "readState eq 'unread' and userActionState ne 'snoozed' and userActionState ne 'dismissed'";

let browser;
let page;

// --- the service, through its API ---------------------------------------------------------------------------------

async function call(method, url, bearer, { body, headers = {} } = {}) {
  const response = await fetch(new URL(url, `${base}/v1.0/`), {
    method,
    headers: { Authorization: `Bearer ${bearer}`, ...(body ? { 'Content-Type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, text, json: text.startsWith('{') ? JSON.parse(text) : null, headers: response.headers };
}

/** The app posts a notification into the user's feed, as an app back end does; answers its id. */
async function post(title, { body, priority, groupName = 'Builds' } = {}) {
  const answer = await call('POST', `users/${user}/notifications`, appToken, {
    body: {
      targetHostName: 'contoso.example',
      payload: { visualContent: { title, ...(body ? { body } : {}) } },
      ...(priority ? { priority } : {}),
      groupName,
    },
  });
  assert.equal(answer.status, 201, `POST: ${answer.text}`);
  return answer.json.id;
}

async function item(id) {
  return call('GET', `me/notifications/${id}`, token);
}

async function unreadCount() {
  const answer = await call('GET', `me/notifications/$count?$filter=${encodeURIComponent(unreadFilter)}`, token);
  assert.equal(answer.status, 200, answer.text);
  return Number(answer.text);
}

/** The ids the inbox view shows, as the service says, newest first. */
async function inboxIds() {
  const ids = [];
  let next = `me/notifications?$orderby=${encodeURIComponent('createdDateTime desc')}&$filter=${encodeURIComponent(inboxFilter)}`;
  while (next) {
    const page = await call('GET', next, token);
    assert.equal(page.status, 200, page.text);
    ids.push(...page.json.value.map((i) => i.id));
    next = page.json['@odata.nextLink'];
  }

  return ids;
}

/** Polls the service until `check` holds (a state the page asked for is committed before the page shows it). */
async function eventually(what, check) {
  const deadline = Date.now() + patience;
  let last;
  while (Date.now() < deadline) {
    last = await check();
    if (last === true) {
      return;
    }

    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  assert.fail(`${what}: not within ${patience / 1000} s (last: ${JSON.stringify(last)})`);
}

// --- the page -----------------------------------------------------------------------------------------------------

async function open(context) {
  const opened = await context.newPage();
  const errors = [];
  opened.on('pageerror', (error) => errors.push(error.message));
  opened.on('response', (response) => {
    if (response.status() >= 400) {
      errors.push(`${response.status()} ${response.request().method()} ${response.url()}`);
    }
  });
  opened.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      errors.push(message.text());
    }
  });
  opened.errors = errors;
  return opened;
}

function ids(on = page) {
  return on.$$eval('#feed > li', (items) => items.map((li) => li.dataset.id));
}

function shown(id, on = page) {
  return on.waitForSelector(`#feed > li[data-id="${id}"]`, { timeout: patience });
}

function gone(id, on = page) {
  return on.waitForSelector(`#feed > li[data-id="${id}"]`, { state: 'detached', timeout: patience });
}

/** Waits until the list holds `count` items; on a timeout, says what the page showed instead. */
async function countIs(count, on = page) {
  try {
    await on.waitForFunction((n) => document.querySelectorAll('#feed > li').length === n, count, { timeout: patience });
  } catch (error) {
    const state = await on.evaluate(() => ({
      items: document.querySelectorAll('#feed > li').length,
      problem: document.getElementById('problem').textContent,
      connection: document.getElementById('connection').textContent,
      signIn: document.getElementById('sign-in').hidden ? null : document.getElementById('sign-in-reason').textContent,
    }));
    assert.fail(`expected ${count} items: ${JSON.stringify(state)}; page errors: ${JSON.stringify(on.errors)}; ${error.message}`);
  }
}

function badgeIs(count, on = page) {
  return on.waitForFunction((n) => {
    const badge = document.getElementById('badge');
    return badge.dataset.count === String(n) && badge.hidden === (n === 0) && document.title === (n > 0 ? `(${n}) Notifications` : 'Notifications');
  }, count, { timeout: patience });
}

function connectionIs(text, on = page) {
  return on.waitForFunction((t) => document.getElementById('connection').textContent === t, text, { timeout: patience });
}

async function noSeriousViolations(on, where) {
  const results = await new AxeBuilder({ page: on }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(serious.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [], where);
}

// --- the service process, through InboxBrowserTests ---------------------------------------------------------------

const answers = readline.createInterface({ input: process.stdin })[Symbol.asyncIterator]();

/** Asks the test that runs this file to do something to the service (kill or start it) and waits until it has. */
async function ask(command) {
  process.stdout.write(`@@${command}\n`);
  const { value, done } = await answers.next();
  assert.ok(!done && value === `${command}: done`, `the service process did not ${command}: ${value}`);
}

// --- the scenarios, in order: each one starts where the one before left the feed -----------------------------------

const created = {};

before(async () => {
  browser = await chromium.launch({ executablePath: process.env.INBOX_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  created.review = await post('Ana asked for your review', { body: 'Pull request 482: retry webhooks with backoff', groupName: 'Reviews' });
  created.markup = await post('Release notes for <v2.0> are ready', { body: '<img src=x onerror="window.injected=1"> is shown as text', groupName: 'Releases' });
  created.build = await post('Build 1432 failed', { body: 'main · 2 tests failed in DeliveryTests', priority: 'High' });
});

after(async () => {
  await browser?.close();
  process.stdin.destroy();
});

test('the page opens with a token in the fragment, which then leaves the address bar', async () => {
  const context = await browser.newContext({ viewport: { width: 1100, height: 800 }, colorScheme: 'light' });
  page = await open(context);
  const response = await page.goto(`${base}/inbox/#token=${token}`);
  assert.equal(response.status(), 200);
  const policy = response.headers()['content-security-policy'];
  assert.match(policy, /script-src 'self'/);
  assert.match(policy, /connect-src 'self'/);
  assert.doesNotMatch(policy, /unsafe-inline/);

  await page.waitForFunction((u) => document.getElementById('who').textContent.includes(u), user, { timeout: patience });
  const who = await page.textContent('#who');
  assert.match(who, /through the app inbox-app/);
  assert.match(who, /token expires in \d+ min/);
  assert.equal(page.url(), `${base}/inbox/`);
  assert.equal(await page.evaluate(() => location.hash), '');
  assert.equal(await page.evaluate(() => sessionStorage.getItem('graphnotifications.inbox.token')), token);
});

test('the feed is shown newest first, with priority, group and time, and app text as text', async () => {
  await countIs(3);
  assert.deepEqual(await ids(), [created.build, created.markup, created.review]);

  const build = await shown(created.build);
  assert.equal(await build.$eval('.priority', (e) => e.textContent), 'High priority');
  assert.match(await build.$eval('.meta', (e) => e.textContent), /Builds(just now|\d+ min ago)$/);
  assert.ok(await build.evaluate((li) => li.classList.contains('unread')));

  const markup = await shown(created.markup);
  assert.equal(await markup.$eval('.item-title', (e) => e.textContent), 'Release notes for <v2.0> are ready');
  assert.match(await markup.$eval('.item-body', (e) => e.textContent), /^<img src=x onerror=/);
  assert.equal(await page.$$eval('#feed img', (images) => images.length), 0);
  assert.equal(await page.evaluate(() => window.injected), undefined);

  await badgeIs(3);
  assert.equal(await unreadCount(), 3);
});

test("an app's POST appears without a reload, is announced, and the badge goes up", async () => {
  await page.evaluate(() => { window.sameDocument = true; });
  await connectionIs('Live');
  created.deploy = await post('Deployment to production finished', { body: 'Version 2.0.1 is live in West Europe', groupName: 'Releases' });
  await shown(created.deploy);
  assert.deepEqual(await ids(), [created.deploy, created.build, created.markup, created.review]);
  await badgeIs(4);
  assert.equal(await page.textContent('#announcer'), 'New notification: Deployment to production finished');
  assert.equal(await page.evaluate(() => window.sameDocument), true);
});

test('a click activates an item: read on the service, and the badge goes down', async () => {
  await page.click(`#feed > li[data-id="${created.review}"] .open`);
  await eventually('the item activated and read on the service', async () => {
    const answer = await item(created.review);
    return (answer.json.readState === 'read' && answer.json.userActionState === 'activated') || answer.json;
  });
  await page.waitForSelector(`#feed > li[data-id="${created.review}"]:not(.unread)`, { timeout: patience });
  await badgeIs(3);
});

test('a state change made through the API (another device) shows', async () => {
  const current = await item(created.markup);
  const patched = await call('PATCH', `me/notifications/${created.markup}`, token, {
    body: { readState: 'read' },
    headers: { 'If-Match': current.json['@odata.etag'] },
  });
  assert.equal(patched.status, 204, patched.text);
  await page.waitForSelector(`#feed > li[data-id="${created.markup}"]:not(.unread)`, { timeout: patience });
  await badgeIs(2);

  // Marked unread again on the page: the service has it, and the badge follows.
  await page.click(`#feed > li[data-id="${created.markup}"] [data-action="unread"]`);
  await eventually('the item unread on the service', async () => (await item(created.markup)).json.readState === 'unread');
  await badgeIs(3);
});

test('screenshots: light, dark, narrow', async () => {
  await page.screenshot({ path: path.join(screenshots, 'inbox-light.png') });
  for (const [name, options] of [
    ['inbox-dark.png', { viewport: { width: 1100, height: 800 }, colorScheme: 'dark' }],
    ['inbox-narrow.png', { viewport: { width: 360, height: 780 }, colorScheme: 'light' }],
  ]) {
    const context = await browser.newContext(options);
    const other = await open(context);
    await other.goto(`${base}/inbox/#token=${token}`);
    await countIs(4, other);
    await badgeIs(3, other);
    await noSeriousViolations(other, name);
    // At 360 px nothing scrolls sideways.
    assert.ok(await other.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${name} scrolls sideways`);
    await other.screenshot({ path: path.join(screenshots, name) });
    assert.deepEqual(other.errors, [], name);
    await context.close();
  }
});

test('axe finds no serious or critical violation, with a menu open', async () => {
  await noSeriousViolations(page, 'the feed');
  await page.click(`#feed > li[data-id="${created.deploy}"] [data-action="menu"]`);
  await page.waitForSelector(`#feed > li[data-id="${created.deploy}"] .menu:not([hidden])`, { timeout: patience });
  await noSeriousViolations(page, 'the snooze menu');
  await page.keyboard.press('Escape');
  await page.waitForSelector(`#feed > li[data-id="${created.deploy}"] .menu[hidden]`, { state: 'attached', timeout: patience });
});

test('dismiss hides an item, and "Dismissed" shows it', async () => {
  await page.click(`#feed > li[data-id="${created.build}"] [data-action="dismiss"]`);
  await gone(created.build);
  const answer = await item(created.build);
  assert.equal(answer.json.userActionState, 'dismissed');
  assert.equal(answer.json.readState, 'read');
  await badgeIs(2);

  await page.click('button.view[data-view="dismissed"]');
  await shown(created.build);
  assert.deepEqual(await ids(), [created.build]);
  await page.click('button.view[data-view="inbox"]');
  await shown(created.deploy);
  assert.deepEqual(await ids(), [created.deploy, created.markup, created.review]);
});

test('snooze for an hour, with the keyboard only; then "Snoozed" shows it', async () => {
  const toggle = `#feed > li[data-id="${created.deploy}"] [data-action="menu"]`;
  await page.focus(toggle);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement?.dataset.action === 'snooze-hour', null, { timeout: patience });
  await page.keyboard.press('Escape');
  await page.waitForFunction((t) => document.activeElement === document.querySelector(t), toggle, { timeout: patience });
  await page.keyboard.press('Space');
  await page.waitForFunction(() => document.activeElement?.dataset.action === 'snooze-hour', null, { timeout: patience });
  const pressed = Date.now();
  await page.keyboard.press('Enter');
  await gone(created.deploy);

  const answer = await item(created.deploy);
  assert.equal(answer.json.userActionState, 'snoozed');
  const until = Date.parse(answer.json.snoozedUntilDateTime);
  assert.ok(until > pressed + 55 * 60_000 && until < pressed + 65 * 60_000, `snoozed until ${answer.json.snoozedUntilDateTime}`);
  await badgeIs(1);

  await page.click('button.view[data-view="snoozed"]');
  await shown(created.deploy);
  assert.match(await page.textContent(`#feed > li[data-id="${created.deploy}"] .meta`), /Snoozed until/);
  await page.click('button.view[data-view="inbox"]');
  await shown(created.markup);
});

test('remove takes an item out of the feed; mark all as read empties the badge', async () => {
  await page.click(`#feed > li[data-id="${created.review}"] [data-action="remove"]`);
  await gone(created.review);
  assert.equal((await item(created.review)).status, 404);

  await post('Weekly digest', { body: '12 builds, 3 releases', groupName: 'Digest' });
  await badgeIs(2);
  await page.click('#mark-all');
  await badgeIs(0);
  assert.equal(await unreadCount(), 0);
  await page.waitForFunction(() => document.querySelectorAll('#feed > li.unread').length === 0, null, { timeout: patience });
});

test('after the service is killed and started again, the page resumes without duplicates or gaps', async () => {
  await connectionIs('Live');
  await ask('kill');
  await connectionIs('Reconnecting…');
  await ask('start');

  // Posted at once, before the page is back: it must catch up from its last event id.
  const after = [];
  for (let i = 1; i <= 3; i++) {
    after.push(await post(`After the restart ${i}`));
  }

  for (const id of after) {
    await shown(id);
  }

  await connectionIs('Live');
  const expected = await inboxIds();
  assert.deepEqual(await ids(), expected);
  assert.equal(new Set(await ids()).size, expected.length);
  await badgeIs(3);
  assert.equal(await page.evaluate(() => window.sameDocument), true);
  assert.deepEqual(page.errors.filter((e) => !/ERR_|net::/.test(e)), []);
});

test('"Load more" follows the next link, the token survives a reload, and the group filter narrows the list', async () => {
  for (let i = 1; i <= 20; i++) {
    await post(`Nightly build ${i} passed`, { groupName: 'Nightly' });
  }

  const expected = await inboxIds();
  assert.equal(expected.length, 25);
  await page.reload();
  await countIs(20);
  assert.deepEqual(await ids(), expected.slice(0, 20));
  await page.click('#load-more');
  await countIs(25);
  assert.deepEqual(await ids(), expected);
  assert.ok(await page.$eval('#load-more', (b) => b.hidden));

  await page.selectOption('#group', 'Releases');
  await countIs(1);
  assert.deepEqual(await ids(), [created.markup]);
  await page.selectOption('#group', '');
  await countIs(20);
});

test('an expired token is explained, and not kept', async () => {
  const context = await browser.newContext();
  const other = await open(context);
  await other.goto(`${base}/inbox/#token=${expiredToken}`);
  await other.waitForSelector('#sign-in:not([hidden])', { timeout: patience });
  assert.match(await other.textContent('#sign-in-reason'), /^Your token expired .* ago \(.+\)\. Mint a new one and sign in again\.$/);
  assert.equal(await other.evaluate(() => sessionStorage.getItem('graphnotifications.inbox.token')), null);
  assert.equal(other.url(), `${base}/inbox/`);
  await noSeriousViolations(other, 'the sign-in form');

  // A token the service refuses for another reason: its own message, in words.
  await other.fill('#token-input', `${token.slice(0, -4)}AAAA`);
  await other.click('#sign-in button[type="submit"]');
  await other.waitForFunction(() => document.getElementById('sign-in-reason').textContent.includes('(401)'), null, { timeout: patience });
  assert.match(await other.textContent('#sign-in-reason'), /^The service did not accept your token \(401\): .+/);
  await context.close();
});

test("the service's refusals are said in words with its message: a 429 on the stream, a 503 on an action", async () => {
  // The service's own answers, given by the browser's network layer so that each refusal comes exactly when asked.
  const refusal = (status, code, message, retryAfter) => ({
    status,
    headers: { 'Content-Type': 'application/json', 'Retry-After': String(retryAfter) },
    body: JSON.stringify({ error: { code, message } }),
  });
  const context = await browser.newContext();
  let refuseStream = true;
  await context.route((url) => url.pathname.endsWith('/me/notifications/delta'), async (route) => {
    if (refuseStream && route.request().headers().accept === 'text/event-stream') {
      await route.fulfill(refusal(429, 'tooManyRequests', 'Too many open streams for this user.', 2));
    } else {
      await route.continue();
    }
  });
  const other = await open(context);
  await other.goto(`${base}/inbox/#token=${token}`);
  await connectionIs('Too many requests (429): Too many open streams for this user. Trying again in 2 s.', other);
  refuseStream = false;
  await connectionIs('Live', other);

  const first = (await ids(other))[0];
  const before = (await item(first)).json.userActionState ?? 'noInteraction';
  await context.route((url) => url.pathname.endsWith(`/me/notifications/${first}`), async (route) => {
    if (route.request().method() === 'PATCH') {
      await route.fulfill(refusal(503, 'serviceUnavailable', 'The store cannot take writes right now.', 5));
    } else {
      await route.continue();
    }
  });
  await other.click(`#feed > li[data-id="${first}"] [data-action="dismiss"]`);
  await other.waitForFunction(() => !document.getElementById('problem').hidden, null, { timeout: patience });
  assert.equal(await other.textContent('#problem'), 'The service is unavailable (503): The store cannot take writes right now. Try again in 5 s.');
  await shown(first, other);
  assert.equal((await item(first)).json.userActionState ?? 'noInteraction', before);
  await context.close();
});
