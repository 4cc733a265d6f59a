import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeImage, EditEngine } from '@soundedit/core';
import { testToneWav, writeTinyPack } from '@soundedit/core/testing';
import type { Pack } from '@soundedit/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../accounts/accounts.ts';
import { FolderBlobStore } from '../blobs/blob-store.ts';
import { editChannel, MemoryEventBus } from '../events/event-bus.ts';
import type { EditEvent } from '../events/edit-events.ts';
import { storeSound } from '../sounds/sound-store.ts';
import { openTestDatabase, postgresReachable, type TestDatabase } from '../testing/test-databases.ts';
import { eq } from 'drizzle-orm';
import * as tables from '../db/schema.ts';
import { claimNextEdit, getEdit, insertEdit, requestCancel } from './edit-store.ts';
import { EditWorker } from './edit-worker.ts';

let dir: string;
let pack: Pack;
const tone = testToneWav();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'soundedit-worker-'));
  pack = await writeTinyPack(join(dir, 'packs'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const postgres = await postgresReachable();
if (!postgres)
  console.warn('PostgreSQL on 127.0.0.1:5432 is not reachable: its half of the worker tests is skipped');

describe.each(['pglite', 'postgres'] as const)('EditWorker on %s', (kind) => {
  let t: TestDatabase;
  let blobs: FolderBlobStore;
  let bus: MemoryEventBus;
  let author: string;
  let soundId: string;
  const openEngine = async (name: string) => {
    if (name !== pack.manifest.name) throw new Error(`no pack named ${name}`);
    return EditEngine.open(pack);
  };
  const worker = (o: { leaseMs?: number; workerId?: string } = {}) =>
    new EditWorker({ db: t.db, blobs, bus, openEngine, previewEvery: 2, pictureScale: 1, ...o });

  beforeAll(async () => {
    if (kind === 'postgres' && !postgres) return;
    t = await openTestDatabase(kind);
    blobs = new FolderBlobStore(join(dir, `blobs-${kind}`));
    bus = new MemoryEventBus();
    author = (await createAccount(t.db, 'client', 'tester')).id;
    soundId = (await storeSound(t.db, blobs, author, tone)).id;
  });
  afterAll(async () => {
    await t?.dispose();
  });
  const maybe = kind === 'postgres' && !postgres ? it.skip : it;

  maybe('runs a stored edit to the end, publishing progress, and stores every output', async () => {
    const edit = await insertEdit(t.db, {
      authorId: author,
      pack: 'test-rain',
      totalSteps: 4,
      params: { source: { kind: 'seed', seed: 3 }, soundId, settings: { steps: 4 } },
    });
    const events: EditEvent[] = [];
    const off = await bus.subscribe(editChannel(edit.id), (m) => events.push(m as EditEvent));
    const w = worker();
    const done = await w.runOnce();
    await w.stop();
    await off();
    expect(done).toMatchObject({
      id: edit.id,
      status: 'SUCCEEDED',
      step: 4,
      attempts: 1,
      soundClass: 'rain',
    });
    expect(done!.steps).toHaveLength(4);
    expect(done!.metrics!.layerChange.length).toBeGreaterThan(0);
    expect(events.map((e) => e.type)).toEqual([
      'status',
      'progress',
      'progress',
      'progress',
      'progress',
      'finished',
    ]);
    expect(events.filter((e) => e.type === 'progress' && e.preview).length).toBeGreaterThan(0);
    for (const key of [done!.sourceKey, done!.resultKey, done!.sideBySideKey]) {
      const picture = decodeImage((await blobs.get(key!))!);
      expect(picture.height).toBe(16);
    }
    expect(new TextDecoder().decode((await blobs.get(done!.trajectoryKey!))!.subarray(0, 6))).toBe('GIF89a');
    const record = JSON.parse(new TextDecoder().decode((await blobs.get(done!.recordKey!))!));
    expect(record.steps).toHaveLength(4);
    expect(record.settings.steps).toBe(4);
  });

  maybe('remixes: starts from another edit’s result code', async () => {
    const [parent] = [
      await insertEdit(t.db, {
        authorId: author,
        pack: 'test-rain',
        totalSteps: 2,
        params: { source: { kind: 'seed', seed: 5 }, text: 'rain on a roof', settings: { steps: 2 } },
      }),
    ];
    const w = worker();
    await w.runOnce();
    const remix = await insertEdit(t.db, {
      authorId: author,
      pack: 'test-rain',
      totalSteps: 2,
      parentId: parent!.id,
      params: { source: { kind: 'edit', editId: parent!.id }, soundId, settings: { steps: 2 } },
    });
    const done = await w.runOnce();
    await w.stop();
    expect(done).toMatchObject({ id: remix.id, status: 'SUCCEEDED', parentId: parent!.id });
    expect((await getEdit(t.db, parent!.id))!.remixCount).toBe(1);
    // The remix starts where its parent ended.
    expect(await blobs.get(done!.sourceKey!)).toEqual(
      await blobs.get((await getEdit(t.db, parent!.id))!.resultKey!),
    );
  });

  maybe('fails an edit whose inputs are bad with a stored reason, and goes on to the next', async () => {
    const bad = await insertEdit(t.db, {
      authorId: author,
      pack: 'no-such-pack',
      totalSteps: 2,
      params: { source: { kind: 'seed', seed: 1 }, soundId, settings: { steps: 2 } },
    });
    const good = await insertEdit(t.db, {
      authorId: author,
      pack: 'test-rain',
      totalSteps: 2,
      params: { source: { kind: 'seed', seed: 1 }, soundId, settings: { steps: 2 } },
    });
    const w = worker();
    expect(await w.runOnce()).toMatchObject({ id: bad.id, status: 'FAILED', errorCode: 'UNKNOWN_PACK' });
    expect(await w.runOnce()).toMatchObject({ id: good.id, status: 'SUCCEEDED' });
    await w.stop();
  });

  maybe('cancels a queued edit before it runs, and a running one through the bus', async () => {
    const queued = await insertEdit(t.db, {
      authorId: author,
      pack: 'test-rain',
      totalSteps: 2,
      params: { source: { kind: 'seed', seed: 2 }, soundId, settings: { steps: 2 } },
    });
    expect((await requestCancel(t.db, queued.id))!.status).toBe('CANCELED');
    const running = await insertEdit(t.db, {
      authorId: author,
      pack: 'test-rain',
      totalSteps: 200,
      params: { source: { kind: 'seed', seed: 2 }, soundId, settings: { steps: 200 } },
    });
    const off = await bus.subscribe(editChannel(running.id), (m) => {
      if ((m as EditEvent).type === 'progress' && (m as { step: number }).step === 3)
        void requestCancel(t.db, running.id).then(() =>
          bus.publish(editChannel(running.id), { type: 'cancel' }),
        );
    });
    const w = worker();
    const done = await w.runOnce();
    await w.stop();
    await off();
    expect(done).toMatchObject({ id: running.id, status: 'CANCELED' });
    expect(done!.step).toBeLessThan(200);
  });

  maybe('hands a running edit back to the queue when stopped, and a new worker finishes it', async () => {
    const edit = await insertEdit(t.db, {
      authorId: author,
      pack: 'test-rain',
      totalSteps: 300,
      params: { source: { kind: 'seed', seed: 4 }, soundId, settings: { steps: 300 } },
    });
    const first = worker();
    const started = new Promise<void>((resolve) => {
      void bus.subscribe(editChannel(edit.id), (m) => {
        if ((m as EditEvent).type === 'progress') resolve();
      });
    });
    first.start();
    await started;
    await first.stop();
    expect(await getEdit(t.db, edit.id)).toMatchObject({ status: 'QUEUED', attempts: 0, leaseOwner: null });
    await t.db
      .update(tables.edits)
      .set({ totalSteps: 2, params: { ...edit.params, settings: { steps: 2 } } })
      .where(eq(tables.edits.id, edit.id));
    const second = worker();
    expect(await second.runOnce()).toMatchObject({ id: edit.id, status: 'SUCCEEDED', attempts: 1 });
    await second.stop();
  });

  maybe(
    'takes over an edit whose worker died (its lease ran out), and gives up after the attempts',
    async () => {
      const edit = await insertEdit(t.db, {
        authorId: author,
        pack: 'test-rain',
        totalSteps: 2,
        params: { source: { kind: 'seed', seed: 9 }, soundId, settings: { steps: 2 } },
      });
      // A worker claims it and dies without a word.
      expect((await claimNextEdit(t.db, { workerId: 'dead', leaseMs: 200, maxAttempts: 3 }))!.id).toBe(
        edit.id,
      );
      expect(await claimNextEdit(t.db, { workerId: 'other', leaseMs: 200, maxAttempts: 3 })).toBeUndefined();
      await new Promise((r) => setTimeout(r, 300));
      const done = await worker({ workerId: 'survivor' }).runOnce();
      expect(done).toMatchObject({ id: edit.id, status: 'SUCCEEDED', attempts: 2 });

      const doomed = await insertEdit(t.db, {
        authorId: author,
        pack: 'test-rain',
        totalSteps: 2,
        params: { source: { kind: 'seed', seed: 9 }, soundId, settings: { steps: 2 } },
      });
      for (let k = 0; k < 2; k++) {
        expect((await claimNextEdit(t.db, { workerId: `dies-${k}`, leaseMs: 50, maxAttempts: 2 }))!.id).toBe(
          doomed.id,
        );
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(await claimNextEdit(t.db, { workerId: 'late', leaseMs: 50, maxAttempts: 2 })).toBeUndefined();
      expect(await getEdit(t.db, doomed.id)).toMatchObject({ status: 'FAILED', errorCode: 'WORKER_LOST' });
    },
  );
});
