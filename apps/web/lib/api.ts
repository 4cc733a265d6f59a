import 'server-only';
import { SoundeditClient } from '@soundedit/graphql';
import { cookies } from 'next/headers';

/** Where the web server reaches the API (server side: rendering and the proxy routes). */
export function apiUrl(): string {
  return (process.env.SOUNDEDIT_API_URL ?? 'http://127.0.0.1:4000').replace(/\/$/, '');
}

/** The graphql-ws endpoint browsers open for live progress and the gallery feed. */
export function publicWsUrl(): string {
  return process.env.SOUNDEDIT_API_WS_URL ?? `${apiUrl().replace(/^http/, 'ws')}/graphql`;
}

/** A client for server components, carrying the visitor's session cookie so "liked by me" is right. */
export async function serverClient(): Promise<SoundeditClient> {
  const jar = await cookies();
  const cookie = jar
    .getAll()
    .map((c) => `${c.name}=${encodeURIComponent(c.value)}`)
    .join('; ');
  return new SoundeditClient({ url: apiUrl(), ...(cookie ? { headers: { cookie } } : {}) });
}
