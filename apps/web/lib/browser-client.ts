'use client';
import { SoundeditClient } from '@soundedit/graphql';

const clients = new Map<string, SoundeditClient>();

/**
 * The page's client: HTTP through this site's proxy (same origin, so the session cookie goes
 * along), subscriptions over graphql-ws to `wsUrl` (the API's, given by the server). One per URL.
 */
export function browserClient(wsUrl?: string): SoundeditClient {
  const key = wsUrl ?? '';
  let client = clients.get(key);
  if (!client) {
    client = new SoundeditClient({ url: '', ...(wsUrl ? { wsUrl } : {}) });
    clients.set(key, client);
  }
  return client;
}
