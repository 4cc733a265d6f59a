import { SoundeditClient } from '@soundedit/graphql';
import WebSocket from 'ws';
import type { BotConfig } from './config.ts';

/** The API as the bot sees it, acting for one Discord user (its token may do that; see README). */
export function clientFor(config: BotConfig, user: { id: string; name: string }): SoundeditClient {
  return new SoundeditClient({
    url: config.apiUrl,
    token: config.apiToken,
    headers: { 'x-soundedit-discord-user': user.id, 'x-soundedit-discord-name': user.name.slice(0, 64) },
    webSocketImpl: WebSocket,
  });
}
