import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { testToneWav, writeTinyPack } from '@soundedit/core/testing';
import {
  BullDispatcher,
  createAccount,
  DatabaseBlobStore,
  editChannel,
  getEdit,
  insertEdit,
  RedisEventBus,
  storeSound,
  tables,
  type EditEvent,
} from '@soundedit/service';
import {
  openTestDatabase,
  postgresReachable,
  redisReachable,
  TEST_REDIS_URL,
  type TestDatabase,
} from '@soundedit/service/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const available = (await postgresReachable()) && (await redisReachable());
if (!available) console.warn('PostgreSQL and Redis on loopback are needed for the two-worker tests: skipped');

const tone = testToneWav();

interface WorkerProcess {
  id: string;
  child: ChildProcess;
  exited: Promise<number | null>;
}

let dir: string;
let t: TestDatabase;
let bus: RedisEventBus;
let dispatcher: BullDispatcher;
let author: string;
let soundId: string;
const workers: WorkerProcess[] = [];
const prefix = `soundedit-test-${randomBytes(4).toString('hex')}`;

function startWorker(id: string, databaseUrl: string): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--conditions=@soundedit/source', '--import', 'tsx', MAIN], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      REDIS_URL: TEST_REDIS_URL,
      BULL_PREFIX: prefix,
      SOUNDEDIT_MODELS: join(dir, 'packs'),
      DATA_DIR: join(dir, `data-${id}`),
      WORKER_ID: id,
      LEASE_MS: '1500',
      LOCK_MS: '1500',
      STALLED_CHECK_MS: '500',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let log = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker ${id} did not start:\n${log}`)), 60_000);
    const onData = (b: Buffer) => {
      log += b.toString();
      if (log.includes('ready')) {
        clearTimeout(timer);
        resolve({ id, child, exited });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => reject(new Error(`worker ${id} exited with ${code}:\n${log}`)));
  });
}

/** The events of an edit until it ends. */
function watch(id: string): { events: EditEvent[]; done: Promise<EditEvent[]> } {
  const events: EditEvent[] = [];
  const done = new Promise<EditEvent[]>((resolve) => {
    void bus.subscribe(editChannel(id), (m) => {
      events.push(m as EditEvent);
      if ((m as EditEvent).type === 'finished') resolve(events);
    });
  });
  return { events, done };
}

describe.skipIf(!available)('apps/worker processes on PostgreSQL and Redis', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'soundedit-workers-'));
    await writeTinyPack(join(dir, 'packs'));
    t = await openTestDatabase('postgres');
    bus = new RedisEventBus(TEST_REDIS_URL);
    dispatcher = new BullDispatcher(TEST_REDIS_URL, prefix);
    author = (await createAccount(t.db, 'client', 'tester')).id;
    soundId = (await storeSound(t.db, new DatabaseBlobStore(t.db), author, tone)).id;
    const url = t.url!;
    workers.push(...(await Promise.all([startWorker('A', url), startWorker('B', url)])));
  }, 120_000);

  afterAll(async () => {
    for (const w of workers) w.child.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.exited));
    await dispatcher?.queue.obliterate({ force: true }).catch(() => {});
    await dispatcher?.close();
    await bus?.close();
    await t?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  const edit = (steps: number, seed: number) =>
    insertEdit(t.db, {
      authorId: author,
      pack: 'test-rain',
      totalSteps: steps,
      params: { source: { kind: 'seed', seed }, soundId, settings: { steps } },
    });

  it('share the queued edits between them and finish every one', async () => {
    const rows = await Promise.all([1, 2, 3, 4].map((seed) => edit(40, seed)));
    const watched = rows.map((r) => watch(r.id));
    for (const r of rows) await dispatcher.dispatch(r.id);
    const runs = await Promise.all(watched.map((w) => w.done));
    for (const r of rows)
      expect(await getEdit(t.db, r.id)).toMatchObject({ status: 'SUCCEEDED', attempts: 1 });
    const ranOn = new Set(
      runs
        .map((events) => events.find((e) => e.type === 'status'))
        .map((e) => e?.type === 'status' && e.workerId),
    );
    expect(ranOn).toEqual(new Set(['A', 'B']));
  }, 120_000);

  it('finish an edit on the other worker when the one running it is killed', async () => {
    const row = await edit(5000, 11);
    const w = watch(row.id);
    await dispatcher.dispatch(row.id);
    // Wait until it runs, then kill that worker without warning.
    for (;;) {
      if (w.events.some((e) => e.type === 'progress')) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const first = w.events.find((e) => e.type === 'status');
    const victim = workers.find((p) => first?.type === 'status' && p.id === first.workerId)!;
    victim.child.kill('SIGKILL');
    await victim.exited;
    // The survivor need not rerun 5000 steps to prove the point.
    await t.db
      .update(tables.edits)
      .set({ totalSteps: 3, params: { ...row.params, settings: { steps: 3 } } })
      .where(eq(tables.edits.id, row.id));
    const events = await w.done;
    const done = await getEdit(t.db, row.id);
    expect(done).toMatchObject({ status: 'SUCCEEDED', attempts: 2, step: 3 });
    const starts = events
      .filter((e) => e.type === 'status')
      .map((e) => (e.type === 'status' ? e.workerId : ''));
    expect(starts).toEqual([victim.id, workers.find((p) => p !== victim)!.id]);
  }, 120_000);
});
