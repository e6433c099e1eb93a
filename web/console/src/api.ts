// The one way the console talks to Gatehouse: POST /graphql on its own
// origin with the staff member's bearer token.
//
// Where the tokens live: the access token (15 minutes) only in memory, so
// nothing long-lived is readable after the tab is gone; the refresh token
// in sessionStorage, so a reload of the tab keeps the staff member signed
// in, while closing the tab (or opening another one) asks for the password
// and second factor again. localStorage would share it with every tab and
// keep it on disk indefinitely. The CSP allows scripts from 'self' only,
// which is what stands between an injected script and either store.
import type { TypedDocumentString } from './gql/graphql';
import { describe } from './errors';
import { Refresh } from './ops';

const refreshKey = 'gatehouse.console.refresh';
const deviceKey = 'gatehouse.console.device';

export interface Auth {
  accessToken: string;
  refreshToken: string;
  accessTokenExpiresAt: string;
  user: { id: string; name: string; email?: string | null; phone?: string | null; role: string };
}

/** A refusal or failure as the console shows it. */
export class ApiError extends Error {
  constructor(
    public code: string,
    message: string,
    public fields: Record<string, string> = {},
    public reason = '',
  ) {
    super(message);
  }
  /** The message a person reads: what the code means, then the server's words. */
  get text(): string {
    return describe(this.code, this.message, this.fields);
  }
}

let access: { token: string } | null = null;
let refreshing: Promise<boolean> | null = null;
let onSignedOut: () => void = () => {};

/** The browser's stable device id: sessions list it, it is no secret. */
export function deviceId(): string {
  let id = localStorage.getItem(deviceKey);
  if (!id) {
    id = 'console-' + crypto.randomUUID();
    localStorage.setItem(deviceKey, id);
  }
  return id;
}

export function whenSignedOut(f: () => void) {
  onSignedOut = f;
}

export function keep(auth: Auth) {
  access = { token: auth.accessToken };
  sessionStorage.setItem(refreshKey, auth.refreshToken);
}

export function forget() {
  access = null;
  sessionStorage.removeItem(refreshKey);
}

export function hasSession(): boolean {
  return access !== null || sessionStorage.getItem(refreshKey) !== null;
}

async function post(query: string, variables: unknown, token: string | null) {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = 'Bearer ' + token;
  let res: Response;
  try {
    res = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  } catch {
    throw new ApiError('NETWORK', 'Gatehouse did not answer.');
  }
  let body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
  try {
    body = await res.json();
  } catch {
    throw new ApiError('INTERNAL', `Unexpected answer (HTTP ${res.status}).`);
  }
  if (body.errors && body.errors.length > 0) {
    const e = body.errors[0];
    const ext = e.extensions ?? {};
    throw new ApiError(String(ext.code ?? 'INTERNAL'), e.message, (ext.fields as Record<string, string>) ?? {},
      String(ext.reason ?? ''));
  }
  return body.data;
}

// refresh trades the kept refresh token for a new pair. One at a time:
// the token is single-use, and presenting a rotated one again would end
// the whole session family.
function refresh(): Promise<boolean> {
  if (!refreshing) {
    refreshing = (async () => {
      const rt = sessionStorage.getItem(refreshKey);
      if (!rt) return false;
      try {
        const d = (await post(Refresh.toString(), { input: { refreshToken: rt } }, null)) as {
          refreshSession: Auth;
        };
        keep(d.refreshSession);
        return true;
      } catch (e) {
        if (e instanceof ApiError && e.code !== 'NETWORK' && e.code !== 'UNAVAILABLE') forget();
        return false;
      } finally {
        refreshing = null;
      }
    })();
  }
  return refreshing;
}

/**
 * Sends one typed operation. An access token that has run out is
 * refreshed when the server says so (UNAUTHENTICATED), and the operation
 * sent again: a refused call did nothing. Waiting for the server rather
 * than reading accessTokenExpiresAt keeps a browser whose clock is wrong
 * from refreshing on every call or never.
 */
export async function call<R, V>(doc: TypedDocumentString<R, V>, variables?: V): Promise<R> {
  if (!access && hasSession()) await refresh();
  try {
    return (await post(doc.toString(), variables ?? {}, access?.token ?? null)) as R;
  } catch (e) {
    if (e instanceof ApiError && e.code === 'UNAUTHENTICATED' && hasSession()) {
      access = null;
      if (await refresh()) return (await post(doc.toString(), variables ?? {}, access!.token)) as R;
      forget();
      onSignedOut();
    }
    throw e;
  }
}

/** Restores the session of this tab after a reload, if it has one. */
export async function resume(): Promise<boolean> {
  if (!sessionStorage.getItem(refreshKey)) return false;
  return refresh();
}
