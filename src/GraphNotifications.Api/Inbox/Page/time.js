// Times as people read them in a notification list: "just now", "3 min ago", "2 h ago", then the date.

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

export function ago(date, now = Date.now()) {
  const elapsed = now - date.getTime();
  if (elapsed < minute) {
    return 'just now';
  }

  if (elapsed < hour) {
    return `${Math.floor(elapsed / minute)} min ago`;
  }

  if (elapsed < day) {
    return `${Math.floor(elapsed / hour)} h ago`;
  }

  if (elapsed < 7 * day) {
    return `${Math.floor(elapsed / day)} d ago`;
  }

  return date.toLocaleDateString();
}

/** "in 42 min" or "3 min ago", for a token's expiry. */
export function relative(date, now = Date.now()) {
  const left = date.getTime() - now;
  if (left <= 0) {
    return ago(date, now);
  }

  if (left < hour) {
    return `in ${Math.max(1, Math.round(left / minute))} min`;
  }

  if (left < day) {
    return `in ${Math.round(left / hour)} h`;
  }

  return `in ${Math.round(left / day)} d`;
}

export function clock(date) {
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
