import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinyPack } from '../packs/test-pack.ts';
import { EditEngine } from './edit-engine.ts';

let dir: string;
let engine: EditEngine;
const tone = {
  sampleRate: 16_000,
  channels: [Float32Array.from({ length: 16_000 }, (_, i) => 0.3 * Math.sin(i / 7))],
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'soundedit-engine-'));
  engine = await EditEngine.open(await writeTinyPack(dir));
});
afterAll(async () => {
  await engine.release();
  await rm(dir, { recursive: true, force: true });
});

describe('EditEngine', () => {
  it("edits a seed's picture with a sound on the pack's defaults, the same way every time", async () => {
    const request = {
      source: { kind: 'seed' as const, seed: 3 },
      guidance: { audio: tone },
      settings: { previewEvery: 5 },
    };
    const a = await engine.run(request);
    const b = await engine.run(request);
    expect(a.settings).toMatchObject({ steps: 10, lr: 0.1, lambdaSim: 0.002, previewEvery: 5 });
    expect(a.steps).toHaveLength(10);
    expect(a.wPlus).toEqual(b.wPlus);
    expect(a.image).not.toEqual(a.sourceImage);
  });

  it("edits in the pack's default space unless the request names one", async () => {
    const wDir = await mkdtemp(join(tmpdir(), 'soundedit-engine-w-'));
    const wEngine = await EditEngine.open(await writeTinyPack(wDir, { space: 'w' }));
    try {
      expect(engine.settingsFor({ source: { kind: 'seed', seed: 1 }, guidance: { audio: tone } }).space).toBe(
        'w+',
      );
      const request = { source: { kind: 'seed' as const, seed: 3 }, guidance: { audio: tone } };
      expect(wEngine.settingsFor(request).space).toBe('w');
      expect(wEngine.settingsFor({ ...request, settings: { space: 'w+' } }).space).toBe('w+');
      const edit = await wEngine.run({ ...request, settings: { steps: 3, previewEvery: 0 } });
      // One shared step for every layer: the broadcast source stays a broadcast code.
      const D = edit.wPlus.length / edit.layerChange.length;
      for (let l = 1; l < edit.layerChange.length; l++)
        expect(edit.wPlus.subarray(l * D, (l + 1) * D)).toEqual(edit.wPlus.subarray(0, D));
    } finally {
      await wEngine.release();
      await rm(wDir, { recursive: true, force: true });
    }
  });

  it('lets a louder clip pull harder when asked: the guidance weight scales with its loudness', async () => {
    const scaled = (k: number) => ({ ...tone, channels: [tone.channels[0]!.map((v) => v * k)] });
    const run = (k: number) =>
      engine.run({
        source: { kind: 'seed', seed: 3 },
        guidance: { audio: scaled(k), loudnessGain: true },
        settings: { steps: 3, previewEvery: 0 },
      });
    const loud = await run(1); // about -13 dBFS
    const soft = await run(0.05); // 26 dB softer
    expect(loud.loudness!.rmsDb).toBeCloseTo(-13.5, 0);
    expect(loud.loudness!.gain).toBeGreaterThan(1.4);
    expect(soft.loudness!.gain).toBe(0.5);
    expect(loud.settings.guidance).toBeCloseTo(loud.loudness!.gain, 6);
    // The same sound's direction, pulled harder: the louder clip moves the code further.
    const moved = (e: typeof loud) => e.layerChange.reduce((a, b) => a + b, 0);
    expect(moved(loud)).toBeGreaterThan(moved(soft));
    const plain = await engine.run({
      source: { kind: 'seed', seed: 3 },
      guidance: { audio: tone },
      settings: { steps: 3 },
    });
    expect(plain.loudness).toBeUndefined();
    expect(plain.settings.guidance).toBe(1);
  });

  it('names the pack class nearest a sound', async () => {
    const nearest = await engine.nearestClass(tone);
    expect(nearest.name).toBe('rain');
    expect(nearest.cosine).toBeGreaterThanOrEqual(-1);
    expect(nearest.cosine).toBeLessThanOrEqual(1.0001);
  });

  it('mixes sound and text by layer range, and blends their embeddings', async () => {
    const source = { kind: 'seed' as const, seed: 4 };
    const mixed = await engine.run({
      source,
      guidance: { audio: tone, text: 'rain on a roof', combine: 'layers', audioLayers: [0, 2] },
      settings: { steps: 4, previewEvery: 0 },
    });
    expect(mixed.layerSources).toEqual(['audio', 'audio', 'audio', 'text', 'text', 'text']);
    const blended = await engine.run({
      source,
      guidance: { audio: tone, text: 'rain', textWeight: 0.3 },
      settings: { steps: 4 },
    });
    expect(blended.layerSources).toBeUndefined();
    expect(blended.steps).toHaveLength(4);
  });

  it("edits a user's picture after inverting it, and refuses one that is not a picture", async () => {
    const made = await engine.models.generator.sample(21, 1);
    const picture = {
      width: 16,
      height: 16,
      data: made.image.map((v) => Math.min(1, Math.max(0, (v + 1) / 2))),
    };
    const outcome = await engine.run({
      source: { kind: 'image', image: picture, inversion: { steps: 30 } },
      guidance: { text: 'rain' },
      settings: { steps: 3 },
    });
    expect(outcome.inversion!.psnr).toBeGreaterThan(10);
    expect(outcome.steps).toHaveLength(3);
    await expect(
      engine.run({
        source: { kind: 'image', image: new TextEncoder().encode('no picture') },
        guidance: { text: 'rain' },
      }),
    ).rejects.toMatchObject({ code: 'UNSUPPORTED_FORMAT' });
  });

  it('refuses requests it cannot run, with the setting named', async () => {
    const source = { kind: 'seed' as const, seed: 1 };
    await expect(engine.run({ source, guidance: {} })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      subject: 'guidance',
    });
    await expect(
      engine.run({ source, guidance: { text: 'rain', audio: tone, textWeight: 2 } }),
    ).rejects.toMatchObject({ subject: 'textWeight' });
    await expect(
      engine.run({ source, guidance: { text: 'rain', audio: tone, combine: 'layers', audioLayers: [4, 9] } }),
    ).rejects.toMatchObject({ subject: 'audioLayers' });
    await expect(
      engine.run({ source: { kind: 'seed', seed: -1 }, guidance: { text: 'rain' } }),
    ).rejects.toMatchObject({ subject: 'seed' });
    await expect(
      engine.run({ source, guidance: { text: 'rain' }, settings: { lambdaId: 0.5 } }),
    ).rejects.toMatchObject({
      code: 'MISSING_PART',
    });
    const controller = new AbortController();
    controller.abort();
    await expect(
      engine.run({ source, guidance: { text: 'rain' } }, { signal: controller.signal }),
    ).rejects.toThrow();
  });
});
