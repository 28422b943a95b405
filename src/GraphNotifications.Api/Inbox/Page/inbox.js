// The inbox page: signs in with a token, shows the feed newest first, keeps it live through the stream, keeps the
// badge on the service's count, and sends the user's actions to the API (docs/inbox.md).

import { createApi, ServiceError } from './api.js';
import { renderItem, refreshTimes, titleOf } from './item.js';
import { FeedStream } from './stream.js';
import { clock, relative } from './time.js';
import { describeCaller, forgetToken, readClaims, storedToken, storeToken, takeTokenFromFragment } from './token.js';

const pageSize = 20;
const $ = (id) => document.getElementById(id);

const ui = {
  signIn: $('sign-in'),
  reason: $('sign-in-reason'),
  form: $('sign-in-form'),
  tokenInput: $('token-input'),
  inbox: $('inbox'),
  who: $('who'),
  signOut: $('sign-out'),
  badge: $('badge'),
  feed: $('feed'),
  empty: $('empty'),
  loadMore: $('load-more'),
  group: $('group'),
  markAll: $('mark-all'),
  connection: $('connection'),
  problem: $('problem'),
  announcer: $('announcer'),
};

const api = createApi(() => session.token);

/** What the page knows; `shown` holds the items of the current view, by id (so no item is ever shown twice). */
const session = {
  token: null,
  stream: null,
  expiryTimer: 0,
  view: 'inbox',
  group: '',
  shown: new Map(),
  nextLink: null,
  groups: new Set(),
  badgeTimer: 0,
  generation: 0,
};

// --- signing in ---------------------------------------------------------------------------------------------------

function showSignIn(reason) {
  stopSession();
  ui.inbox.hidden = true;
  ui.who.hidden = true;
  ui.signOut.hidden = true;
  ui.badge.hidden = true;
  document.title = 'Notifications';
  ui.reason.textContent = reason ?? '';
  ui.reason.hidden = !reason;
  ui.signIn.hidden = false;
}

function expiredReason(expires) {
  return `Your token expired ${relative(expires)} (${clock(expires)}). Mint a new one and sign in again.`;
}

function start(token) {
  const claims = readClaims(token);
  if (claims === null) {
    forgetToken();
    showSignIn('That is not a token this page can read: paste the whole JWT (three parts separated by dots).');
    return;
  }

  const caller = describeCaller(claims);
  if (caller.expires && caller.expires.getTime() <= Date.now()) {
    forgetToken();
    showSignIn(expiredReason(caller.expires));
    return;
  }

  stopSession();
  session.token = token;
  session.generation++;
  ui.signIn.hidden = true;
  ui.inbox.hidden = false;
  ui.signOut.hidden = false;
  ui.who.hidden = false;
  ui.who.textContent = `Signed in as ${caller.user ?? 'an unnamed user'} through the app ${caller.app ?? '(none named)'}` +
    (caller.expires ? ` · token expires ${relative(caller.expires)} (${clock(caller.expires)})` : '');
  if (caller.expires) {
    // setTimeout holds at most ~24.8 days; a token that lives longer is checked again by the service's own 401.
    const left = Math.min(caller.expires.getTime() - Date.now(), 2 ** 31 - 1);
    session.expiryTimer = setTimeout(() => {
      forgetToken();
      showSignIn(expiredReason(caller.expires));
    }, left);
  }

  sync();
}

function stopSession() {
  session.stream?.stop();
  session.stream = null;
  session.token = null;
  clearTimeout(session.expiryTimer);
  clearTimeout(session.badgeTimer);
  session.generation++;
}

/** A refusal that only a new token can fix ends the session, in words; any other is shown above the list. */
function fail(error) {
  if (!(error instanceof ServiceError)) {
    throw error;
  }

  if (error.status === 401) {
    const claims = readClaims(session.token ?? '');
    const expires = claims ? describeCaller(claims).expires : null;
    forgetToken();
    showSignIn(expires && expires.getTime() <= Date.now() ? expiredReason(expires) : error.describe());
    return;
  }

  ui.problem.textContent = error.describe();
  ui.problem.hidden = false;
}

function clearProblem() {
  ui.problem.hidden = true;
  ui.problem.textContent = '';
}

// --- the feed -----------------------------------------------------------------------------------------------------

function viewFilter() {
  const clauses = {
    inbox: ["userActionState ne 'dismissed'", "userActionState ne 'snoozed'"],
    snoozed: ["userActionState eq 'snoozed'"],
    dismissed: ["userActionState eq 'dismissed'"],
  }[session.view];
  if (session.group) {
    clauses.push(`groupName eq '${session.group.replace(/'/g, "''")}'`);
  }

  return clauses.join(' and ');
}

function inView(item) {
  const state = item.userActionState ?? 'noInteraction';
  const view = state === 'dismissed' ? 'dismissed' : state === 'snoozed' ? 'snoozed' : 'inbox';
  return view === session.view && (!session.group || item.groupName === session.group);
}

/** Newest first, as `$orderby=createdDateTime desc` orders (ties by id, descending). */
function newer(a, b) {
  const byTime = Date.parse(b.createdDateTime) - Date.parse(a.createdDateTime);
  return byTime !== 0 ? byTime : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** Whether an item belongs among those loaded so far: every item when all are loaded, else those up to the oldest shown. */
function withinLoaded(item) {
  if (session.nextLink === null) {
    return true;
  }

  let oldest = null;
  for (const entry of session.shown.values()) {
    if (oldest === null || newer(entry.item, oldest) > 0) {
      oldest = entry.item;
    }
  }

  return oldest === null || newer(item, oldest) <= 0;
}

/**
 * Puts an item into the list at its place, replaces it, or takes it out, whichever its state asks. An item of a page
 * the page read belongs there; one from the stream only when it is not older than what is loaded.
 */
function apply(item, paged = false) {
  const current = session.shown.get(item.id);
  if (item['@removed'] || !inView(item) || (!paged && !withinLoaded(item))) {
    if (current) {
      current.li.remove();
      session.shown.delete(item.id);
    }

    updateEmpty();
    return;
  }

  const previous = current?.item;
  const merged = previous ? { ...previous, ...item } : item;
  const li = renderItem(merged);
  const focusedAction = current?.li.contains(document.activeElement) ? document.activeElement.dataset.action : null;
  if (current) {
    current.li.remove();
  }

  session.shown.set(merged.id, { item: merged, li });
  let before = null;
  for (const entry of session.shown.values()) {
    if (entry.li !== li && entry.li.isConnected && newer(merged, entry.item) < 0 && (before === null || newer(entry.item, before.item) < 0)) {
      before = entry;
    }
  }

  ui.feed.insertBefore(li, before?.li ?? null);
  if (focusedAction) {
    li.querySelector(`[data-action="${focusedAction}"]`)?.focus();
  }

  noteGroup(merged.groupName);
  updateEmpty();
}

function updateEmpty() {
  ui.empty.hidden = session.shown.size > 0;
  ui.loadMore.hidden = session.nextLink === null;
}

function noteGroup(name) {
  if (!name || session.groups.has(name)) {
    return;
  }

  session.groups.add(name);
  const option = document.createElement('option');
  option.value = name;
  option.textContent = name;
  const after = [...ui.group.options].slice(1).find((o) => o.value.localeCompare(name) > 0) ?? null;
  ui.group.insertBefore(option, after);
}

async function loadPage(url) {
  const generation = session.generation;
  const page = await api.json(url, { headers: { Prefer: `odata.maxpagesize=${pageSize}` } });
  if (generation !== session.generation) {
    return;
  }

  session.nextLink = page['@odata.nextLink'] ?? null;
  for (const item of page.value) {
    apply(item, true);
  }

  updateEmpty();
}

function firstPage() {
  return `me/notifications?$orderby=${encodeURIComponent('createdDateTime desc')}&$filter=${encodeURIComponent(viewFilter())}`;
}

async function reload() {
  session.shown.clear();
  ui.feed.replaceChildren();
  session.nextLink = null;
  await loadPage(firstPage());
}

/**
 * The position "now" first (an empty delta page's token), then the first page, then the stream from that position:
 * whatever changes after the position reaches the page as an event, whether or not the first page already showed it.
 */
async function sync() {
  const generation = session.generation;
  try {
    const latest = await api.json('me/notifications/delta?$deltatoken=latest');
    const position = new URL(latest['@odata.deltaLink']).searchParams.get('$deltatoken');
    await reload();
    if (generation !== session.generation) {
      return;
    }

    session.stream = new FeedStream(() => session.token, position, {
      item: received,
      state: connection,
      resumed: badgeSoon,
      lost: () => {
        session.stream = null;
        sync();
      },
      fatal: fail,
    });
    session.stream.start();
    await readBadge();
  } catch (error) {
    fail(error);
  }
}

function received(item) {
  const isNew = !item['@removed'] && !session.shown.has(item.id) && item.readState === 'unread'
    && (item.userActionState ?? 'noInteraction') === 'noInteraction' && inView(item);
  apply(item);
  if (isNew && session.shown.has(item.id)) {
    ui.announcer.textContent = `New notification: ${titleOf(item)}`;
  }

  badgeSoon();
}

function connection(state, error) {
  ui.connection.dataset.state = state;
  ui.connection.textContent = {
    live: 'Live',
    reconnecting: 'Reconnecting…',
    waiting: error ? error.describe({ retrying: true }) : 'Waiting for the service…',
  }[state];
}

// --- the badge ----------------------------------------------------------------------------------------------------

/** Re-reads the count shortly after a burst of events, so a burst costs one request and the badge never drifts. */
function badgeSoon() {
  clearTimeout(session.badgeTimer);
  session.badgeTimer = setTimeout(readBadge, 300);
}

async function readBadge() {
  const generation = session.generation;
  try {
    const filter = "readState eq 'unread' and userActionState ne 'snoozed' and userActionState ne 'dismissed'";
    const count = Number.parseInt(await api.text(`me/notifications/$count?$filter=${encodeURIComponent(filter)}`), 10);
    if (generation !== session.generation) {
      return;
    }

    ui.badge.textContent = String(count);
    ui.badge.dataset.count = String(count);
    ui.badge.setAttribute('aria-label', `${count} unread`);
    ui.badge.hidden = count === 0;
    document.title = count > 0 ? `(${count}) Notifications` : 'Notifications';
  } catch (error) {
    if (error instanceof ServiceError && error.status === 0) {
      return; // The stream says the service is away; the count is read again when it is back.
    }

    fail(error);
  }
}

// --- actions ------------------------------------------------------------------------------------------------------

function tomorrowMorning() {
  const date = new Date();
  date.setDate(date.getDate() + 1);
  date.setHours(9, 0, 0, 0);
  return date;
}

const changes = {
  activate: () => ({ userActionState: 'activated' }),
  read: () => ({ readState: 'read' }),
  unread: () => ({ readState: 'unread' }),
  dismiss: () => ({ userActionState: 'dismissed' }),
  restore: () => ({ userActionState: 'noInteraction' }),
  'snooze-hour': () => ({ userActionState: 'snoozed', snoozedUntilDateTime: new Date(Date.now() + 3_600_000).toISOString() }),
  'snooze-tomorrow': () => ({ userActionState: 'snoozed', snoozedUntilDateTime: tomorrowMorning().toISOString() }),
};

/** PATCHes the user's state of one item with the feed's ETag; a stale tag (412) is read again and the change retried once. */
async function change(id, body) {
  const path = `me/notifications/${encodeURIComponent(id)}`;
  let etag = session.shown.get(id)?.item['@odata.etag'];
  for (let attempt = 0; ; attempt++) {
    try {
      const response = await api.request('PATCH', path, {
        body,
        headers: { Prefer: 'return=representation', ...(etag ? { 'If-Match': etag } : {}) },
      });
      if (response.status === 200) {
        apply(await response.json());
      }

      return;
    } catch (error) {
      if (error instanceof ServiceError && error.status === 412 && attempt === 0) {
        const fresh = await api.json(path);
        apply(fresh);
        etag = fresh['@odata.etag'];
        continue;
      }

      throw error;
    }
  }
}

async function act(action, id) {
  try {
    if (action === 'remove') {
      await api.request('DELETE', `me/notifications/${encodeURIComponent(id)}/$ref`);
      apply({ id, '@removed': { reason: 'changed' } });
    } else {
      await change(id, changes[action]());
    }

    clearProblem();
    badgeSoon();
  } catch (error) {
    fail(error);
  }
}

function closeMenus(except) {
  for (const menu of ui.feed.querySelectorAll('.menu:not([hidden])')) {
    if (menu !== except) {
      menu.hidden = true;
      menu.previousElementSibling.setAttribute('aria-expanded', 'false');
    }
  }
}

ui.feed.addEventListener('click', (event) => {
  const target = event.target.closest('[data-action]');
  const li = event.target.closest('li.item');
  if (!target || !li) {
    return;
  }

  const action = target.dataset.action;
  if (action === 'menu') {
    const menu = target.nextElementSibling;
    closeMenus(menu);
    menu.hidden = !menu.hidden;
    target.setAttribute('aria-expanded', String(!menu.hidden));
    if (!menu.hidden) {
      menu.querySelector('button')?.focus();
    }

    return;
  }

  closeMenus();
  act(action, li.dataset.id);
});

document.addEventListener('keydown', (event) => {
  if (event.key !== 'Escape') {
    return;
  }

  const open = ui.feed.querySelector('.menu:not([hidden])');
  if (open) {
    closeMenus();
    open.previousElementSibling.focus();
  }
});

document.addEventListener('click', (event) => {
  if (!event.target.closest('.menu-holder')) {
    closeMenus();
  }
});

ui.markAll.addEventListener('click', async () => {
  try {
    await api.request('POST', 'me/notifications/microsoft.graph.markAllAsRead', { body: {} });
    clearProblem();
    badgeSoon();
  } catch (error) {
    fail(error);
  }
});

ui.loadMore.addEventListener('click', async () => {
  try {
    if (session.nextLink) {
      await loadPage(session.nextLink);
    }
  } catch (error) {
    fail(error);
  }
});

for (const view of document.querySelectorAll('button.view')) {
  view.addEventListener('click', async () => {
    session.view = view.dataset.view;
    for (const other of document.querySelectorAll('button.view')) {
      other.setAttribute('aria-pressed', String(other === view));
    }

    try {
      await reload();
    } catch (error) {
      fail(error);
    }
  });
}

ui.group.addEventListener('change', async () => {
  session.group = ui.group.value;
  try {
    await reload();
  } catch (error) {
    fail(error);
  }
});

ui.form.addEventListener('submit', (event) => {
  event.preventDefault();
  const token = ui.tokenInput.value.trim();
  ui.tokenInput.value = '';
  storeToken(token);
  start(token);
});

ui.signOut.addEventListener('click', () => {
  forgetToken();
  showSignIn('Signed out.');
});

// A token opened into a tab that already shows the page (`/inbox/#token=…` again) signs in with it.
window.addEventListener('hashchange', () => {
  takeTokenFromFragment();
  const token = storedToken();
  if (token && token !== session.token) {
    start(token);
  }
});

setInterval(() => refreshTimes(ui.feed), 30_000);

takeTokenFromFragment();
const token = storedToken();
if (token) {
  start(token);
} else {
  showSignIn(null);
}
