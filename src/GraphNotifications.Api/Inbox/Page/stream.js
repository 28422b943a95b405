// The feed's live stream (docs/stream.md): Server-Sent Events read with fetch, since an EventSource cannot send the
// bearer header. It starts from a delta token and resumes from the last event's id after any drop (a broken
// connection, a restarted service, a `reconnect` event), so nothing is missed; the page applies each item by id, so
// nothing is shown twice.

import { errorOf, root, ServiceError } from './api.js';

const firstRetry = 1000;
const lastRetry = 5000;

/** The events of an SSE body: `{type, data, id}`; comment lines are skipped. */
export async function* events(body) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let type = '';
  let data = [];
  let id = null;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        return;
      }

      buffer += value;
      let end;
      while ((end = buffer.search(/\r\n|\r|\n/)) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + (buffer.startsWith('\r\n', end) ? 2 : 1));
        if (line === '') {
          if (data.length > 0 || type !== '') {
            yield { type: type || 'message', data: data.join('\n'), id };
          }

          type = '';
          data = [];
          id = null;
          continue;
        }

        if (line.startsWith(':')) {
          continue;
        }

        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let content = colon < 0 ? '' : line.slice(colon + 1);
        if (content.startsWith(' ')) {
          content = content.slice(1);
        }

        if (field === 'event') {
          type = content;
        } else if (field === 'data') {
          data.push(content);
        } else if (field === 'id') {
          id = content;
        }
      }
    }
  } finally {
    reader.releaseLock();
  }
}

/**
 * Keeps the stream of `/me/notifications` open from `position` (a delta token) on, reconnecting with the last id.
 * Callbacks: `item(json)` for each change (an item, or `{id, "@removed"}`), `state('live' | 'reconnecting' | 'waiting',
 * error?)`, `resumed()` after a reconnection, `lost()` when the position is too old to resume (the page then
 * resyncs), `fatal(error)` when only a new token helps (the stream then stops).
 */
export class FeedStream {
  constructor(token, position, callbacks) {
    this.token = token;
    this.position = position;
    this.callbacks = callbacks;
    this.abort = new AbortController();
    this.stopped = false;
  }

  start() {
    this.run();
  }

  stop() {
    this.stopped = true;
    this.abort.abort();
  }

  async run() {
    let retry = firstRetry;
    let opened = false;
    while (!this.stopped) {
      let wait = retry;
      let refused = false;
      try {
        const response = await fetch(`${root}me/notifications/delta?$deltatoken=${encodeURIComponent(this.position)}`, {
          headers: {
            Authorization: `Bearer ${this.token()}`,
            Accept: 'text/event-stream',
            'Last-Event-ID': this.position,
          },
          cache: 'no-store',
          signal: this.abort.signal,
        });
        if (!response.ok) {
          const error = await errorOf(response);
          if (error.status === 401 || error.status === 403 || error.status === 400) {
            this.callbacks.fatal(error);
            return;
          }

          // 429 (too many streams for this user) or 503 (this instance is full): said in words until the retry.
          this.callbacks.state('waiting', error);
          refused = true;
          wait = (error.retryAfter ?? retry / 1000) * 1000;
        } else {
          this.callbacks.state('live');
          if (opened) {
            this.callbacks.resumed();
          }

          opened = true;
          retry = firstRetry;
          wait = firstRetry;
          const outcome = await this.read(response.body);
          if (outcome === 'stop') {
            return;
          }

          if (outcome === 'now') {
            continue;
          }
        }
      } catch {
        if (this.stopped) {
          return;
        }

        // The connection broke (the service stopped or the network dropped): resume from the last id.
      }

      if (this.stopped) {
        return;
      }

      if (!refused) {
        this.callbacks.state('reconnecting');
      }

      await this.sleep(wait);
      retry = Math.min(retry * 2, lastRetry);
    }
  }

  /** Applies the events of one response; answers how to go on: 'stop', 'now' (reconnect at once) or 'later'. */
  async read(body) {
    for await (const event of events(body)) {
      if (event.type === 'message') {
        this.callbacks.item(JSON.parse(event.data));
        if (event.id) {
          this.position = event.id;
        }
      } else if (event.type === 'synced') {
        if (event.id) {
          this.position = event.id;
        }
      } else if (event.type === 'reconnect') {
        const reason = JSON.parse(event.data).reason;
        if (reason === 'tokenExpired') {
          this.callbacks.fatal(new ServiceError(401, 'tokenExpired', 'The token expired while the page was open.', null));
          return 'stop';
        }

        return 'now';
      } else if (event.type === 'error') {
        const error = JSON.parse(event.data).error ?? {};
        if (error.code === 'syncStateNotFound') {
          this.callbacks.lost();
          return 'stop';
        }

        this.callbacks.state('reconnecting', new ServiceError(200, error.code, error.message, null));
        return 'later';
      }
    }

    return 'later';
  }

  sleep(milliseconds) {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, milliseconds);
      this.abort.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      }, { once: true });
    });
  }
}
