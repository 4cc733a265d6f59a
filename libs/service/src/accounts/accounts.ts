import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { accounts, apiTokens, type AccountKind } from '../db/schema.ts';

export type AccountRow = typeof accounts.$inferSelect;
export type ApiTokenRow = typeof apiTokens.$inferSelect;

export async function createAccount(
  db: Db,
  kind: AccountKind,
  displayName: string,
  externalId?: string,
): Promise<AccountRow> {
  const [row] = await db
    .insert(accounts)
    .values({ id: randomUUID(), kind, displayName, externalId: externalId ?? null })
    .returning();
  return row!;
}

export async function getAccount(db: Db, id: string): Promise<AccountRow | undefined> {
  const [row] = await db.select().from(accounts).where(eq(accounts.id, id));
  return row;
}

/** The account of a Discord user, made on first sight (the bot acts for them). */
export async function discordAccount(
  db: Db,
  discordUserId: string,
  displayName: string,
): Promise<AccountRow> {
  const [row] = await db
    .insert(accounts)
    .values({ id: randomUUID(), kind: 'discord', displayName, externalId: discordUserId })
    .onConflictDoUpdate({ target: [accounts.kind, accounts.externalId], set: { displayName } })
    .returning();
  return row!;
}

const TOKEN_PREFIX = 'se_';

export function hashToken(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** A new token: the secret is returned once and only its hash is stored. */
export async function createApiToken(
  db: Db,
  accountId: string,
  name: string,
  options: { actsForDiscord?: boolean } = {},
): Promise<{ token: ApiTokenRow; secret: string }> {
  const secret = `${TOKEN_PREFIX}${randomBytes(24).toString('base64url')}`;
  const [token] = await db
    .insert(apiTokens)
    .values({
      id: randomUUID(),
      accountId,
      name,
      tokenHash: hashToken(secret),
      actsForDiscord: options.actsForDiscord ?? false,
    })
    .returning();
  return { token: token!, secret };
}

/**
 * Makes sure the Discord bot's token exists: an operator picks the secret once (`se_` and at least
 * 32 more characters) and gives the same value to the API (SOUNDEDIT_BOT_TOKEN) and to the bot
 * (SOUNDEDIT_API_TOKEN), so no one has to copy a secret out of a database. A revoked token stays
 * revoked. Returns the token's row.
 */
export async function ensureBotToken(db: Db, secret: string): Promise<ApiTokenRow> {
  if (!secret.startsWith(TOKEN_PREFIX) || secret.length < TOKEN_PREFIX.length + 32) {
    throw new Error(`the bot token must be '${TOKEN_PREFIX}' followed by at least 32 characters`);
  }
  const [existing] = await db
    .select()
    .from(apiTokens)
    .where(eq(apiTokens.tokenHash, hashToken(secret)));
  if (existing) {
    if (existing.actsForDiscord) return existing;
    const [row] = await db
      .update(apiTokens)
      .set({ actsForDiscord: true })
      .where(eq(apiTokens.id, existing.id))
      .returning();
    return row!;
  }
  const account = await createAccount(db, 'client', 'Discord bot');
  const [token] = await db
    .insert(apiTokens)
    .values({
      id: randomUUID(),
      accountId: account.id,
      name: 'discord-bot',
      tokenHash: hashToken(secret),
      actsForDiscord: true,
    })
    .returning();
  return token!;
}

/** The live token with this secret (and its account), noting its use; undefined if unknown or revoked. */
export async function resolveApiToken(
  db: Db,
  secret: string,
): Promise<{ token: ApiTokenRow; account: AccountRow } | undefined> {
  if (!secret.startsWith(TOKEN_PREFIX)) return undefined;
  const [row] = await db
    .update(apiTokens)
    .set({ lastUsedAt: sql`now()` })
    .where(and(eq(apiTokens.tokenHash, hashToken(secret)), isNull(apiTokens.revokedAt)))
    .returning();
  if (!row) return undefined;
  const account = await getAccount(db, row.accountId);
  return account ? { token: row, account } : undefined;
}

/** Revokes one of the account's tokens; false if it has no such live token. */
export async function revokeApiToken(db: Db, accountId: string, tokenId: string): Promise<boolean> {
  const rows = await db
    .update(apiTokens)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiTokens.id, tokenId), eq(apiTokens.accountId, accountId), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  return rows.length > 0;
}

export async function listApiTokens(db: Db, accountId: string): Promise<ApiTokenRow[]> {
  return db.select().from(apiTokens).where(eq(apiTokens.accountId, accountId));
}
