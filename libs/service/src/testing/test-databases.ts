import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../db/database.ts';

/** Where the loopback PostgreSQL server is; a fresh database is made on it for each test file. */
export const TEST_POSTGRES_URL =
  process.env.SOUNDEDIT_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase extends Database {
  /** The PostgreSQL database's URL (for other processes); undefined for PGlite. */
  url?: string;
  /** Closes the connection and drops the database (PostgreSQL) or just closes it (PGlite). */
  dispose(): Promise<void>;
}

/** Is the loopback PostgreSQL reachable? Tests that need it say so and skip when it is not. */
export async function postgresReachable(url = TEST_POSTGRES_URL): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** An empty, migrated database of the given kind. */
export async function openTestDatabase(kind: 'pglite' | 'postgres'): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const db = await openDatabase();
    return { ...db, dispose: () => db.close() };
  }
  const name = `soundedit_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  const db = await openDatabase({ url: url.toString() });
  return {
    ...db,
    url: url.toString(),
    dispose: async () => {
      await db.close();
      const cleanup = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}
