// The user's token: taken from the address's fragment (which never reaches the server) or the sign-in form, kept in
// this tab's sessionStorage, read for who is signed in and until when. The page trusts nothing in it: the service
// checks the token on every call; the claims only label the page.

const storageKey = 'graphnotifications.inbox.token';

/** Moves a token given as `#token=…` into sessionStorage and removes it from the address bar and history. */
export function takeTokenFromFragment() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const token = fragment.get('token');
  if (token === null) {
    return;
  }

  if (token.trim() !== '') {
    sessionStorage.setItem(storageKey, token.trim());
  }

  history.replaceState(null, '', location.pathname + location.search);
}

export function storedToken() {
  return sessionStorage.getItem(storageKey);
}

export function storeToken(token) {
  sessionStorage.setItem(storageKey, token.trim());
}

export function forgetToken() {
  sessionStorage.removeItem(storageKey);
}

/** The JWT's payload, or null when the token is not a JWT the page can read. */
export function readClaims(token) {
  const parts = token.split('.');
  if (parts.length < 2) {
    return null;
  }

  try {
    const base64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
    const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes));
    return claims !== null && typeof claims === 'object' ? claims : null;
  } catch {
    return null;
  }
}

/**
 * Who the token is for, in the service's words: the user (`oid`, else `sub`, shown by name where the token has one),
 * the app (`azp`, else `appid`: a feed belongs to one app, so the page shows that app's notifications) and when it runs out.
 */
export function describeCaller(claims) {
  const userId = claims.oid ?? claims.sub ?? null;
  const name = claims.name ?? claims.preferred_username ?? claims.unique_name ?? userId;
  return {
    user: typeof name === 'string' ? name : null,
    userId: typeof userId === 'string' ? userId : null,
    app: claims.azp ?? claims.appid ?? null,
    expires: typeof claims.exp === 'number' ? new Date(claims.exp * 1000) : null,
  };
}
