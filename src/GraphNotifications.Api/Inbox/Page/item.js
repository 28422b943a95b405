// One notification as a list item. Everything an app sent is set as text (textContent), never parsed as markup.

import { ago, clock } from './time.js';

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }

  if (text !== undefined && text !== null) {
    node.textContent = String(text);
  }

  return node;
}

function button(text, action, label) {
  const node = element('button', 'action', text);
  node.type = 'button';
  node.dataset.action = action;
  if (label) {
    node.setAttribute('aria-label', label);
  }

  return node;
}

export function titleOf(item) {
  const visual = item.payload?.visualContent;
  return visual?.title || item.groupName || 'Notification';
}

/** The `<li>` of one feed item, with its actions (handled by the list through `data-action`). */
export function renderItem(item) {
  const unread = item.readState !== 'read';
  const high = item.priority === 'High';
  const title = titleOf(item);
  const li = element('li', 'item');
  li.dataset.id = item.id;
  li.classList.toggle('unread', unread);
  li.classList.toggle('high', high);

  const open = element('button', 'open');
  open.type = 'button';
  open.dataset.action = 'activate';
  const heading = element('span', 'heading');
  heading.append(element('span', 'dot'), element('span', 'item-title', title));
  open.append(heading);
  const body = item.payload?.visualContent?.body;
  if (body) {
    open.append(element('span', 'item-body', body));
  }

  const meta = element('span', 'meta');
  meta.append(element('span', 'visually-hidden', unread ? 'Unread. ' : 'Read. '));
  if (high) {
    meta.append(element('span', 'priority', 'High priority'));
  }

  if (item.groupName) {
    meta.append(element('span', 'group', item.groupName));
  }

  if (item.createdDateTime) {
    const created = new Date(item.createdDateTime);
    const time = element('time', 'when', ago(created));
    time.dateTime = item.createdDateTime;
    time.title = clock(created);
    meta.append(time);
  }

  if (item.userActionState === 'snoozed' && item.snoozedUntilDateTime) {
    meta.append(element('span', 'state', `Snoozed until ${clock(new Date(item.snoozedUntilDateTime))}`));
  } else if (item.userActionState === 'dismissed') {
    meta.append(element('span', 'state', 'Dismissed'));
  }

  open.append(meta);
  li.append(open);

  const actions = element('div', 'actions');
  actions.append(unread
    ? button('Mark read', 'read', `Mark read: ${title}`)
    : button('Mark unread', 'unread', `Mark unread: ${title}`));

  const snooze = element('div', 'menu-holder');
  const toggle = button(item.userActionState === 'snoozed' ? 'Snoozed' : 'Snooze', 'menu', `Snooze: ${title}`);
  toggle.setAttribute('aria-expanded', 'false');
  const menu = element('div', 'menu');
  menu.hidden = true;
  menu.append(button('For 1 hour', 'snooze-hour'), button('Until tomorrow', 'snooze-tomorrow'));
  if (item.userActionState === 'snoozed') {
    menu.append(button('Wake up now', 'restore'));
  }

  snooze.append(toggle, menu);
  actions.append(snooze);

  actions.append(item.userActionState === 'dismissed'
    ? button('Restore', 'restore', `Restore: ${title}`)
    : button('Dismiss', 'dismiss', `Dismiss: ${title}`));
  actions.append(button('Remove', 'remove', `Remove from the feed: ${title}`));
  li.append(actions);
  return li;
}

/** Refreshes the "3 min ago" of every item in `list`. */
export function refreshTimes(list) {
  for (const time of list.querySelectorAll('time.when')) {
    time.textContent = ago(new Date(time.dateTime));
  }
}
