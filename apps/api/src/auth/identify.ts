import {
  discordAccount,
  getAccount,
  resolveApiToken,
  type AccountRow,
  type ApiTokenRow,
  type Db,
} from '@soundedit/service';
import { apiError } from '../errors.ts';
import { readCookie, SESSION_COOKIE, verifySession } from './session-cookie.ts';

export interface Identity {
  viewer?: AccountRow;
  token?: ApiTokenRow;
}

/** Request headers as plain strings (HTTP or graphql-ws connection params). */
export type HeaderBag = Record<string, string | undefined>;

/** The header a bot token names the Discord user it acts for with (and their display name). */
export const DISCORD_USER_HEADER = 'x-soundedit-discord-user';
export const DISCORD_NAME_HEADER = 'x-soundedit-discord-name';

/**
 * Who a request comes from: an API token (Authorization: Bearer), a bot token acting for a Discord
 * user, or the web session cookie; nobody otherwise. A token that is wrong or revoked is an error,
 * not anonymity: a client should know its credentials stopped working.
 */
export async function identify(db: Db, headers: HeaderBag, sessionSecret: string): Promise<Identity> {
  const auth = headers['authorization'];
  if (auth) {
    const m = /^Bearer\s+(\S+)$/i.exec(auth);
    if (!m) throw apiError('UNAUTHENTICATED', 'Authorization must be "Bearer <token>"');
    const found = await resolveApiToken(db, m[1]!);
    if (!found) throw apiError('UNAUTHENTICATED', 'the API token is unknown or revoked');
    const discordUser = headers[DISCORD_USER_HEADER];
    if (discordUser !== undefined) {
      if (!found.token.actsForDiscord)
        throw apiError('FORBIDDEN', 'this token may not act for Discord users');
      if (!/^\d{5,25}$/.test(discordUser))
        throw apiError('BAD_USER_INPUT', `${DISCORD_USER_HEADER} must be a Discord user id`);
      const name = (headers[DISCORD_NAME_HEADER] ?? '').slice(0, 64) || `discord:${discordUser}`;
      return { viewer: await discordAccount(db, discordUser, name), token: found.token };
    }
    return { viewer: found.account, token: found.token };
  }
  const session = readCookie(headers['cookie'], SESSION_COOKIE);
  const id = session ? verifySession(session, sessionSecret) : undefined;
  if (id) {
    const viewer = await getAccount(db, id);
    if (viewer) return { viewer };
  }
  return {};
}

export function requireViewer(viewer: AccountRow | undefined): AccountRow {
  if (!viewer) throw apiError('UNAUTHENTICATED', 'sign in or send an API token to do this');
  return viewer;
}
