import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinyPack } from '../packs/test-pack.ts';
import type { Pack } from '@soundedit/models';
import { EditEngine } from './edit-engine.ts';
import { EditQueue, type EditJobEvent } from './edit-queue.ts';

let dir: string;
let pack: Pack;
let opened = 0;
const open = async () => {
  opened++;
  return EditEngine.open(pack);
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'soundedit-queue-'));
  pack = await writeTinyPack(dir);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function collect(events: AsyncIterable<EditJobEvent>): Promise<EditJobEvent[]> {
  const out: EditJobEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

describe('EditQueue', () => {
  it('runs jobs one after another with queue positions, progress and results, on one engine', async () => {
    const queue = new EditQueue(open);
    const request = {
      source: { kind: 'seed' as const, seed: 2 },
      guidance: { text: 'rain' },
      settings: { steps: 4, previewEvery: 2 },
    };
    const first = queue.submit('test-rain', request);
    const second = queue.submit('test-rain', { ...request, source: { kind: 'seed', seed: 3 } });
    const [a, b] = await Promise.all([first.result, second.result]);
    expect(a.steps).toHaveLength(4);
    expect(b.wPlus).not.toEqual(a.wPlus);
    const events = await collect(second.events());
    expect(events[0]).toEqual({ type: 'queued', position: 1 });
    expect(events.map((e) => e.type)).toEqual([
      'queued',
      'started',
      'progress',
      'progress',
      'progress',
      'progress',
      'succeeded',
    ]);
    expect(events.filter((e) => e.type === 'progress' && e.preview).length).toBe(2);
    expect(first.status).toBe('SUCCEEDED');
    expect(opened).toBe(1);
    await queue.close();
  });

  it('cancels a waiting job and a running one, reports failures, and keeps serving', async () => {
    const queue = new EditQueue(open);
    const long = queue.submit('test-rain', {
      source: { kind: 'seed', seed: 1 },
      guidance: { text: 'rain' },
      settings: { steps: 400 },
    });
    const waiting = queue.submit('test-rain', {
      source: { kind: 'seed', seed: 1 },
      guidance: { text: 'rain' },
    });
    const bad = queue.submit('test-rain', { source: { kind: 'seed', seed: 1 }, guidance: {} });
    const after = queue.submit('test-rain', {
      source: { kind: 'seed', seed: 1 },
      guidance: { text: 'rain' },
      settings: { steps: 2 },
    });
    waiting.cancel();
    for await (const e of long.events()) if (e.type === 'progress' && e.step === 3) long.cancel();
    await expect(long.result).rejects.toMatchObject({ name: 'AbortError' });
    await expect(waiting.result).rejects.toMatchObject({ name: 'AbortError' });
    await expect(bad.result).rejects.toMatchObject({ code: 'BAD_INPUT' });
    expect((await after.result).steps).toHaveLength(2);
    expect([long.status, waiting.status, bad.status, after.status]).toEqual([
      'CANCELED',
      'CANCELED',
      'FAILED',
      'SUCCEEDED',
    ]);
    await queue.close();
  });
});
