import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildImageEncoder,
  CLIP_MEAN,
  CLIP_STD,
  ImageEncoder,
} from '../encoders/clip-image/image-encoder.ts';
import { EditEngine } from '../edit/edit-engine.ts';
import { writeTinyPack } from '../packs/test-pack.ts';
import {
  evaluateManipulation,
  formatManipulationTable,
  PAPER_METHODS,
  summarise,
  type ManipulationRecord,
} from './manipulation.ts';

const vit = { inputResolution: 16, patchSize: 8, width: 16, layers: 1, heads: 2, outputDim: 2 };
const tone = (period: number) => ({
  sampleRate: 16_000,
  channels: [Float32Array.from({ length: 16_000 }, (_, i) => 0.3 * Math.sin(i / period))],
});

let dir: string;
let engine: EditEngine;
let probe: ImageEncoder;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'soundedit-manipulation-'));
  engine = await EditEngine.open(await writeTinyPack(dir));
  probe = await ImageEncoder.fromModel(
    buildImageEncoder(vit, 5, 'probe'),
    { preprocess: { size: 16, mean: CLIP_MEAN, std: CLIP_STD }, embedDim: 2, vit, outputs: ['rain', 'fire'] },
    { kind: 'probe' },
  );
});
afterAll(async () => {
  await Promise.all([engine.release(), probe.release()]);
  await rm(dir, { recursive: true, force: true });
});

const classes = [
  { name: 'rain', attribute: 'rain', clips: [tone(7), tone(3)], text: 'rain on a roof' },
  { name: 'fire_crackling', attribute: 'fire', clips: [tone(11)], text: 'the sound of rain' },
];

describe('evaluateManipulation', () => {
  it('edits every class x seed x method, judges each by the probe, and replays exactly', async () => {
    const progress: number[] = [];
    const run = () =>
      evaluateManipulation({
        engine,
        probe,
        classes,
        seeds: 2,
        firstSeed: 3,
        settings: { steps: 3 },
        onProgress: (done) => progress.push(done),
      });
    const report = await run();
    expect(report.records).toHaveLength(2 * 2 * PAPER_METHODS.length);
    expect(progress.slice(0, 12)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(report.settings.steps).toBe(3);
    for (const r of report.records) {
      expect([3, 4]).toContain(r.seed);
      expect(r.success).toBe(
        r.editedScore >= 0.25 && r.strongest === (r.className === 'rain' ? 'rain' : 'fire'),
      );
      // An edit moves the code, but not to the other side of the space.
      expect(r.latentCosine).toBeLessThan(1);
      expect(r.latentCosine).toBeGreaterThan(0.5);
    }
    // The same source picture is judged the same, whatever the class or method.
    const bySeed = report.records.filter((r) => r.className === 'rain' && r.seed === 3);
    expect(new Set(bySeed.map((r) => r.sourceScore)).size).toBe(1);
    expect(report.summaries.filter((s) => s.className === 'all').map((s) => s.method)).toEqual(
      PAPER_METHODS.map((m) => m.label),
    );
    const again = await run();
    expect(again.records).toEqual(report.records);
    const table = formatManipulationTable(report);
    expect(table).toContain('sound, plain L2');
    // Title, blank line, header, rule, then one row per summary.
    expect(table.split('\n')).toHaveLength(4 + report.summaries.length);
  });

  it('refuses options it cannot score, before editing anything', async () => {
    const bad = (patch: object) => evaluateManipulation({ engine, probe, classes, seeds: 1, ...patch });
    await expect(bad({ seeds: 0 })).rejects.toMatchObject({ code: 'INVALID_OPTION', subject: 'seeds' });
    await expect(bad({ threshold: Number.NaN })).rejects.toMatchObject({ subject: 'threshold' });
    await expect(
      bad({ classes: [{ name: 'wind', attribute: 'wind', clips: [tone(5)], text: 'wind' }] }),
    ).rejects.toThrow(/no output 'wind'/);
    await expect(bad({ classes: [{ ...classes[0]!, clips: [] }] })).rejects.toThrow(/no clips/);
    const unnamed = await ImageEncoder.create(vit, { kind: 'probe' });
    await expect(bad({ probe: unnamed })).rejects.toMatchObject({ subject: 'probe' });
    await unnamed.release();
  });
});

describe('summarise', () => {
  const record = (className: string, method: string, latentCosine: number, success: boolean) =>
    ({
      className,
      method,
      seed: 0,
      sourceScore: 0.1,
      editedScore: success ? 0.6 : 0.2,
      strongest: className,
      success,
      latentCosine,
      finalCosine: 0.5,
    }) satisfies ManipulationRecord;

  it('gives accuracy, attribute gain and the mean and variance of the latent cosine', () => {
    const rows = summarise(
      [record('a', 'sound', 0.9, true), record('a', 'sound', 0.7, false), record('b', 'sound', 0.8, true)],
      ['a', 'b'],
      [PAPER_METHODS[0]!],
    );
    const a = rows.find((r) => r.className === 'a')!;
    expect(a.accuracy).toBe(0.5);
    expect(a.attributeGain).toBeCloseTo(0.3, 10);
    expect(a.latentCosineMean).toBeCloseTo(0.8, 10);
    expect(a.latentCosineVariance).toBeCloseTo(0.01, 10);
    const all = rows.find((r) => r.className === 'all')!;
    expect(all.edits).toBe(3);
    expect(all.accuracy).toBeCloseTo(2 / 3, 10);
    expect(all.identityMean).toBeUndefined();
  });
});
