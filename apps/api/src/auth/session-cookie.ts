import { createHmac, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'soundedit_session';

/** `accountId.signature`: HMAC-SHA256 of the id under the server's secret, base64url. */
export function signSession(accountId: string, secret: string): string {
  return `${accountId}.${createHmac('sha256', secret).update(accountId).digest('base64url')}`;
}

/** The account id of a well-signed session value; undefined for anything else. */
export function verifySession(value: string, secret: string): string | undefined {
  const dot = value.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const id = value.slice(0, dot);
  const given = Buffer.from(value.slice(dot + 1));
  const want = Buffer.from(signSession(id, secret).slice(dot + 1));
  return given.length === want.length && timingSafeEqual(given, want) ? id : undefined;
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

export function sessionCookieHeader(value: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=31536000${secure ? '; Secure' : ''}`;
}
