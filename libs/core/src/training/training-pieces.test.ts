import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng, type OptimizerState } from '@soundedit/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smallConfig } from '../encoders/audio-resnet/test-config.ts';
import { buildAudioEncoder } from '../encoders/audio-resnet/model.ts';
import {
  listCheckpoints,
  loadCheckpoint,
  pruneCheckpoints,
  saveCheckpoint,
  type TrainerState,
} from './checkpoint.ts';
import { buildContrastiveGraph } from './contrastive-graph.ts';
import { truncateMetrics } from './run-folder.ts';
import { mixSeed, permutation } from './seeded-order.ts';
import { assembleBatch, copyWindow, windowStart, type TrainingClip } from './training-clips.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'soundedit-training-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function clip(rows: number, cols: number): TrainingClip {
  const data = Float32Array.from({ length: rows * cols }, (_, i) => i);
  return { logMel: { rows, cols, data }, sourceDurationS: 1 };
}

describe('seeded order', () => {
  it('mixes seeds so neighbouring inputs give unrelated streams, deterministically', () => {
    expect(mixSeed(1, 2)).toBe(mixSeed(1, 2));
    expect(new Set([mixSeed(1, 2), mixSeed(2, 1), mixSeed(1, 3), mixSeed(1, 2, 0)]).size).toBe(4);
  });
  it('permutes every index exactly once', () => {
    const p = permutation(50, 9);
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(p).toEqual(permutation(50, 9));
    expect(p).not.toEqual(permutation(50, 10));
  });
});

describe('training clips', () => {
  it('crops windows: centred without a generator, anywhere inside with one', () => {
    const c = clip(2, 10);
    expect(windowStart(c, 4)).toBe(3);
    const rng = new Rng(1);
    for (let i = 0; i < 50; i++) {
      const s = windowStart(c, 4, rng);
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThanOrEqual(6);
    }
    const out = new Float32Array(8);
    copyWindow(c, 3, 4, out, 0);
    expect([...out]).toEqual([3, 4, 5, 6, 13, 14, 15, 16]);
    copyWindow(c, 8, 4, out, 0);
    expect([...out]).toEqual([8, 9, 0, 0, 18, 19, 0, 0]);
  });

  it('assembles the same batch for the same generator state, and masks only the augmented view', () => {
    const config = smallConfig();
    const frames = 63;
    const clips = [clip(32, 80), clip(32, 63)];
    const augment = {
      freqMasks: 1,
      freqMaskWidth: 8,
      timeMasks: 1,
      timeMaskWidth: 10,
      maskValue: 'zero' as const,
    };
    const a = assembleBatch(clips, [0, 1], config, new Rng(5), augment);
    const b = assembleBatch(clips, [0, 1], config, new Rng(5), augment);
    expect(a.logMel).toEqual(b.logMel);
    expect(a.logMelAug).toEqual(b.logMelAug);
    expect(a.logMel.length).toBe(2 * 32 * frames);
    let masked = 0;
    a.logMelAug!.forEach((v, i) => {
      if (v !== a.logMel[i]) {
        expect(v).toBe(0);
        masked++;
      }
    });
    expect(masked).toBeGreaterThan(0);
  });
});

describe('contrastive training graph', () => {
  it('trains the weights but not the running statistics, and runs clip and view as one batch', () => {
    const g = buildContrastiveGraph({
      encoder: smallConfig({ baseWidth: 4, outputDim: 16 }),
      batchSize: 4,
      partners: { text: true, image: false, audioAug: true },
      embedDim: 16,
      temperature: { kind: 'learnable', init: 0.07 },
      seed: 0,
    });
    expect(g.params).toContain(g.temperatureParam);
    expect(g.temperatureParam).toMatch(/logit_scale$/);
    expect(g.params.some((p) => p.includes('running_'))).toBe(false);
    expect(g.encoderWeights.filter((w) => w.endsWith('running_mean'))).toHaveLength(g.batchNorm.length);
    expect(Object.keys(g.terms).sort()).toEqual(['audioAudio', 'audioText']);
    expect(g.inputs).toEqual({ logMel: 'log_mel', logMelAug: 'log_mel_aug', text: 'text_embedding' });
    expect(g.model.graph.nodes.some((n) => n.opType === 'BatchNormalization')).toBe(false);
    expect(() =>
      buildContrastiveGraph({
        encoder: smallConfig({ outputDim: 16 }),
        batchSize: 4,
        partners: { text: true, image: false, audioAug: false },
        embedDim: 24,
        temperature: { kind: 'fixed', value: 0.1 },
        seed: 0,
      }),
    ).toThrow(expect.objectContaining({ code: 'BAD_DIMENSION' }));
  });
});

describe('checkpoints', () => {
  const model = buildAudioEncoder(smallConfig({ baseWidth: 4, outputDim: 8 })).model;
  const optimizer: OptimizerState = {
    format: 'soundedit-optimizer',
    version: 1,
    kind: 'sgd',
    stepCount: 3,
    hyper: {},
    params: {},
  };
  const state = (step: number): TrainerState => ({
    format: 'soundedit-trainer-checkpoint',
    version: 1,
    step,
    fingerprint: 'abc',
    extra: { logit_scale: [2.5] },
    optimizer,
  });

  it('round-trips weights and state, refuses another run, and prunes old ones', async () => {
    const ckpts = join(dir, 'ckpts');
    const name = 'feature_extractor.fc.weight';
    const fc = model.graph.initializers.find((t) => t.name === name)!;
    const trained = Float32Array.from(fc.data as Float32Array, (v) => v + 1);
    for (const step of [2, 4, 6])
      await saveCheckpoint(ckpts, { 'audio-encoder.onnx': model }, { [name]: trained }, state(step));
    // A checkpoint cut short by a kill is never taken for a complete one.
    await mkdir(join(ckpts, 'step-00000008.partial'));
    expect((await listCheckpoints(ckpts)).map((c) => c.step)).toEqual([2, 4, 6]);
    const loaded = await loadCheckpoint(join(ckpts, 'step-00000006'), 'abc');
    expect(loaded.weights[name]).toEqual(trained);
    expect(loaded.state.extra).toEqual({ logit_scale: [2.5] });
    await expect(loadCheckpoint(join(ckpts, 'step-00000006'), 'other')).rejects.toMatchObject({
      code: 'RUN_MISMATCH',
    });
    await pruneCheckpoints(ckpts, 1);
    expect((await listCheckpoints(ckpts)).map((c) => c.step)).toEqual([6]);
    await writeFile(join(ckpts, 'step-00000006', 'trainer-state.json'), '{"format":');
    await expect(loadCheckpoint(join(ckpts, 'step-00000006'), 'abc')).rejects.toMatchObject({
      code: 'RUN_MISMATCH',
    });
  });
});

describe('metrics file', () => {
  it('keeps the lines up to the resumed step and drops torn or later ones', async () => {
    const file = join(dir, 'metrics.jsonl');
    await writeFile(
      file,
      [
        '{"type":"step","step":1}',
        '{"type":"validation","step":2}',
        '{"type":"step","step":3}',
        '{"type":"st',
      ].join('\n'),
    );
    await truncateMetrics(file, 2);
    expect(await readFile(file, 'utf8')).toBe('{"type":"step","step":1}\n{"type":"validation","step":2}\n');
    await truncateMetrics(join(dir, 'absent.jsonl'), 2);
  });
});
