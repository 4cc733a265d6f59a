import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EditEngine } from '@soundedit/core';
import { writeTinyPack } from '@soundedit/core/testing';
import {
  createAccount,
  createApiToken,
  EditWorker,
  FolderBlobStore,
  LocalDispatcher,
  MemoryEventBus,
} from '@soundedit/service';
import { openTestDatabase, type TestDatabase } from '@soundedit/service/testing';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { ApiLimits } from '../src/limits.ts';
import { PackCatalog } from '../src/packs/pack-catalog.ts';
import { startApiServer, type ApiServer } from '../src/server.ts';

export interface GqlResult<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; [k: string]: unknown } }[];
}

/** A real API on loopback: PGlite or PostgreSQL, a blob folder, the in-process worker, a tiny test pack. */
export class ApiHarness {
  private constructor(
    readonly dir: string,
    readonly database: TestDatabase,
    readonly server: ApiServer,
    readonly worker: EditWorker,
    readonly token: string,
  ) {}

  static async start(
    limits: Partial<ApiLimits> = {},
    kind: 'pglite' | 'postgres' = 'pglite',
  ): Promise<ApiHarness> {
    const dir = await mkdtemp(join(tmpdir(), 'soundedit-api-'));
    const pack = await writeTinyPack(join(dir, 'packs'));
    const database = await openTestDatabase(kind);
    const blobs = new FolderBlobStore(join(dir, 'blobs'));
    const bus = new MemoryEventBus();
    const worker = new EditWorker({
      db: database.db,
      blobs,
      bus,
      openEngine: async (name) => {
        if (name !== pack.manifest.name) throw new Error(`no pack ${name}`);
        return EditEngine.open(pack);
      },
      previewEvery: 2,
      pictureScale: 2,
      pollMs: 200,
    });
    const server = await startApiServer({
      db: database.db,
      blobs,
      bus,
      packs: await PackCatalog.of([pack]),
      sessionSecret: 'test-secret',
      limits,
      dispatcher: new LocalDispatcher(() => worker.wake()),
    });
    worker.start();
    const account = await createAccount(database.db, 'client', 'alice');
    const { secret } = await createApiToken(database.db, account.id, 'tests');
    return new ApiHarness(dir, database, server, worker, secret);
  }

  async newToken(name: string, actsForDiscord = false): Promise<string> {
    const account = await createAccount(this.database.db, 'client', name);
    return (await createApiToken(this.database.db, account.id, name, { actsForDiscord })).secret;
  }

  async gql<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
    headers: Record<string, string> = { authorization: `Bearer ${this.token}` },
  ): Promise<GqlResult<T>> {
    const res = await fetch(this.server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as Omit<GqlResult<T>, 'status'>;
    return { status: res.status, ...body };
  }

  async upload(
    bytes: Uint8Array,
    token = this.token,
    contentType = 'audio/wav',
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(`${this.server.url}/v1/sounds`, {
      method: 'POST',
      headers: { 'content-type': contentType, authorization: `Bearer ${token}` },
      body: Buffer.from(bytes),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  wsClient(token = this.token): Client {
    return createClient({
      url: this.server.wsUrl,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
    });
  }

  /** Every event of a subscription until it completes. */
  async collect<T>(client: Client, query: string, variables: Record<string, unknown>): Promise<T[]> {
    const out: T[] = [];
    for await (const r of client.iterate<T>({ query, variables })) {
      if (r.errors?.length) throw new Error(r.errors.map((e) => e.message).join('; '));
      out.push(r.data as T);
    }
    return out;
  }

  async stop(): Promise<void> {
    await this.worker.stop();
    await this.server.close();
    await this.database.dispose();
    await rm(this.dir, { recursive: true, force: true });
  }
}
