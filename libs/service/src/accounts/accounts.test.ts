import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../testing/index.ts';
import { ensureBotToken, resolveApiToken, revokeApiToken } from './accounts.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase('pglite');
});
afterAll(async () => {
  await database?.dispose();
});

describe('ensureBotToken', () => {
  const secret = `se_${'b'.repeat(40)}`;

  it('makes the bot token from a chosen secret once, acting for Discord users, and keeps it', async () => {
    const first = await ensureBotToken(database.db, secret);
    expect(first.actsForDiscord).toBe(true);
    expect((await ensureBotToken(database.db, secret)).id).toBe(first.id);
    const resolved = await resolveApiToken(database.db, secret);
    expect(resolved?.account.displayName).toBe('Discord bot');
  });

  it('refuses a weak secret and leaves a revoked token revoked', async () => {
    await expect(ensureBotToken(database.db, 'se_short')).rejects.toThrow(/at least 32/);
    await expect(ensureBotToken(database.db, `xx_${'a'.repeat(40)}`)).rejects.toThrow(/'se_'/);
    const token = await ensureBotToken(database.db, secret);
    expect(await revokeApiToken(database.db, token.accountId, token.id)).toBe(true);
    await ensureBotToken(database.db, secret);
    expect(await resolveApiToken(database.db, secret)).toBeUndefined();
  });
});
