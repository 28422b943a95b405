// Calls to the service's API with the user's bearer token, and its errors in words.

export const root = '/v1.0/';

/** A refusal from the service (its Graph error's code and message), or a network failure (status 0). */
export class ServiceError extends Error {
  constructor(status, code, message, retryAfter) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }

  /**
   * The error in words, with the service's own message. A 429 or 503 says when to try again: the page itself does
   * (`retrying`, the stream) or the user may (an action, which the page does not repeat by itself).
   */
  describe({ retrying = false } = {}) {
    const later = this.retryAfter ? ` ${retrying ? 'Trying' : 'Try'} again in ${this.retryAfter} s.` : '';
    switch (this.status) {
      case 0:
        return `The service cannot be reached (${this.message}).`;
      case 401:
        return `The service did not accept your token (401): ${this.message}`;
      case 403:
        return `This token may not do that (403): ${this.message}`;
      case 404:
        return `That notification is no longer in your feed (404): ${this.message}`;
      case 429:
        return `Too many requests (429): ${this.message}${later}`;
      case 503:
        return `The service is unavailable (503): ${this.message}${later}`;
      default:
        return `The service refused the request (${this.status}): ${this.message}`;
    }
  }
}

/** Reads a Graph error (`{"error": {"code", "message"}}`) from a response that is not a success. */
export async function errorOf(response) {
  let code = 'unknown';
  let message = response.statusText || 'no message';
  try {
    const body = await response.json();
    code = body?.error?.code ?? code;
    message = body?.error?.message ?? message;
  } catch {
    // Not a Graph error (a proxy's page, say): the status line says what there is to say.
  }

  const retryAfter = Number.parseInt(response.headers.get('Retry-After') ?? '', 10);
  return new ServiceError(response.status, code, message, Number.isFinite(retryAfter) ? retryAfter : null);
}

/** An API bound to a token source: `request` answers the response of a success and throws a ServiceError otherwise. */
export function createApi(token) {
  async function request(method, path, { body, headers = {}, signal } = {}) {
    const url = new URL(path.startsWith('/') || /^https?:/.test(path) ? path : root + path, location.origin);
    if (url.origin !== location.origin) {
      // A next link is written by the service from the request's host; the token goes nowhere else.
      throw new ServiceError(0, 'otherOrigin', `refused to send the token to ${url.origin}`, null);
    }
    const init = {
      method,
      signal,
      cache: 'no-store',
      headers: { Authorization: `Bearer ${token()}`, Accept: 'application/json', ...headers },
    };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }

    let response;
    try {
      response = await fetch(url, init);
    } catch (error) {
      if (error.name === 'AbortError') {
        throw error;
      }

      throw new ServiceError(0, 'network', error.message, null);
    }

    if (!response.ok) {
      throw await errorOf(response);
    }

    return response;
  }

  return {
    request,
    async json(path, options) {
      return (await request('GET', path, options)).json();
    },
    async text(path, options) {
      return (await request('GET', path, options)).text();
    },
  };
}
