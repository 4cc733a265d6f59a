import { Rng } from '@soundedit/models';
import { describe, expect, it } from 'vitest';
import { binomialBand, evaluationError, gaussianClusters, randomLabels } from './test-fixtures.ts';
import {
  DEFAULT_PROMPT_TEMPLATES,
  ensemblePromptEmbeddings,
  promptsFor,
  spokenLabel,
  zeroShotClassify,
  type ZeroShotInput,
} from './zero-shot.ts';

const names = (c: number): string[] => Array.from({ length: c }, (_, i) => `class ${i}`);
const f32 = (...v: number[]): Float32Array => Float32Array.from(v);

describe('zeroShotClassify', () => {
  it('scores ~100% when the prompts are the cluster centres', () => {
    const { centres, x, y } = gaussianClusters(1, 10, 30, 32);
    const report = zeroShotClassify({
      audio: x,
      labels: y,
      classNames: names(10),
      classPrompts: centres.map((c) => [c]),
    });
    expect(report.samples).toBe(300);
    expect(report.topK[1]).toBeGreaterThanOrEqual(0.99);
    expect(report.topK[5]).toBe(1);
    expect(report.chance).toEqual({ 1: 0.1, 5: 0.5 });
    expect(report.clippedTopK).toEqual([]);
    expect(report.perClass.every((p) => p.support === 30 && (p.top1 ?? 0) >= 0.9)).toBe(true);
    const diagonal = report.confusion.reduce((a, row, i) => a + (row[i] as number), 0);
    expect(diagonal / report.samples).toBe(report.topK[1]);
  });

  it('is at chance, within a binomial band, when labels are unrelated to the audio', () => {
    const { centres, x } = gaussianClusters(2, 10, 200, 16);
    const labels = randomLabels(3, x.length, 10);
    const report = zeroShotClassify({
      audio: x,
      labels,
      classNames: names(10),
      classPrompts: centres.map((c) => [c]),
      topK: [1, 5],
    });
    // Predictions depend only on the audio, so each clip is right with probability 1/10 (5/10 for top-5).
    const [lo1, hi1] = binomialBand(0.1, x.length);
    const [lo5, hi5] = binomialBand(0.5, x.length);
    expect(report.topK[1]).toBeGreaterThan(lo1);
    expect(report.topK[1]).toBeLessThan(hi1);
    expect(report.topK[5]).toBeGreaterThan(lo5);
    expect(report.topK[5]).toBeLessThan(hi5);
  });

  it('reports top-k accuracy that never falls as k grows', () => {
    const { centres, x, y } = gaussianClusters(4, 8, 20, 8, 1, 1.5);
    const report = zeroShotClassify({
      audio: x,
      labels: y,
      classNames: names(8),
      classPrompts: centres.map((c) => [c]),
      topK: [5, 1, 3, 8],
    });
    const ks = Object.keys(report.topK).map(Number);
    expect(ks).toEqual([1, 3, 5, 8]);
    expect(report.topK[1]).toBeLessThan(1);
    for (let i = 1; i < ks.length; i++)
      expect(report.topK[ks[i] as number]).toBeGreaterThanOrEqual(report.topK[ks[i - 1] as number] as number);
    expect(report.topK[8]).toBe(1);
  });

  it('clips k to the class count and says so', () => {
    const report = zeroShotClassify({
      audio: [f32(1, 0, 0), f32(0, 1, 0)],
      labels: [0, 2],
      classNames: ['a', 'b', 'c'],
      classPrompts: [[f32(1, 0, 0)], [f32(0, 1, 0)], [f32(0, 0, 1)]],
    });
    expect(report.topK).toEqual({ 1: 0.5, 3: 1 });
    expect(report.chance).toEqual({ 1: 1 / 3, 3: 1 });
    expect(report.clippedTopK).toEqual([{ requested: 5, used: 3 }]);
  });

  it('builds the confusion matrix, per-class recall and precision, breaking ties to the lower class', () => {
    const report = zeroShotClassify({
      audio: [f32(1, 0.1), f32(0.2, 1), f32(0, 1), f32(1, 1)],
      labels: [0, 0, 1, 1],
      classNames: ['x', 'y'],
      classPrompts: [[f32(2, 0)], [f32(0, 5)]],
      topK: [1, 2],
    });
    expect(report.predictions).toEqual([0, 1, 1, 0]);
    expect(report.confusion).toEqual([
      [1, 1],
      [1, 1],
    ]);
    expect(report.topK).toEqual({ 1: 0.5, 2: 1 });
    expect(report.perClass).toEqual([
      { name: 'x', support: 2, predicted: 2, top1: 0.5, precision: 0.5 },
      { name: 'y', support: 2, predicted: 2, top1: 0.5, precision: 0.5 },
    ]);
    expect(report.balancedAccuracy).toBe(0.5);
    expect(report.majorityBaseline).toBe(0.5);
  });

  it('gives a class with no clips a null recall rather than 0', () => {
    const report = zeroShotClassify({
      audio: [f32(1, 0)],
      labels: [0],
      classNames: ['x', 'y'],
      classPrompts: [[f32(1, 0)], [f32(0, 1)]],
    });
    expect(report.perClass[1]).toEqual({ name: 'y', support: 0, predicted: 0, top1: null, precision: null });
    expect(report.balancedAccuracy).toBe(1);
  });
});

describe('prompt ensembling', () => {
  it('averages the normalised prompts and renormalises', () => {
    // |(3,4)| = 5 and |(0,2)| = 2: unit vectors (0.6, 0.8) and (0, 1), mean (0.3, 0.9), norm sqrt(0.9).
    const v = ensemblePromptEmbeddings([f32(3, 4), f32(0, 2)]);
    const r = Math.sqrt(0.9);
    expect(v[0]).toBeCloseTo(0.3 / r, 6);
    expect(v[1]).toBeCloseTo(0.9 / r, 6);
    // A plain mean of the raw vectors would point along (1.5, 3): (0.447, 0.894).
    expect(Math.abs((v[0] as number) - 0.4472)).toBeGreaterThan(0.1);
  });

  it('changes the decision the way the normalised mean says', () => {
    // Class b's prompts ensemble to the direction at 71.6 degrees; their raw mean (1.5, 3) points at 63.4.
    // A clip at 55 degrees is 10 degrees from a (45) and 16.6 from the ensembled b, but only 8.4 from the raw mean.
    const at55 = (55 * Math.PI) / 180;
    const input: ZeroShotInput = {
      audio: [f32(Math.cos(at55), Math.sin(at55))],
      labels: [0],
      classNames: ['a', 'b'],
      classPrompts: [[f32(1, 1)], [f32(3, 4), f32(0, 2)]],
    };
    expect(zeroShotClassify(input).predictions).toEqual([0]);
    expect(zeroShotClassify({ ...input, classPrompts: [[f32(1, 1)], [f32(1.5, 3)]] }).predictions).toEqual([
      1,
    ]);
  });

  it('is invariant to each prompt embedding’s length', () => {
    const rng = new Rng(5);
    const prompts = [rng.fillNormal(new Float32Array(6)), rng.fillNormal(new Float32Array(6))];
    const scaled = [prompts[0] as Float32Array, Float32Array.from(prompts[1] as Float32Array, (v) => 7 * v)];
    const a = ensemblePromptEmbeddings(prompts);
    const b = ensemblePromptEmbeddings(scaled);
    a.forEach((v, i) => expect(b[i]).toBeCloseTo(v, 6));
  });

  it('fills templates with the label', () => {
    expect(promptsFor('dog bark', ['the sound of {label}', '{label}, {label}'])).toEqual([
      'the sound of dog bark',
      'dog bark, dog bark',
    ]);
    expect(promptsFor('rain')).toHaveLength(DEFAULT_PROMPT_TEMPLATES.length);
    expect(DEFAULT_PROMPT_TEMPLATES.every((t) => t.includes('{label}'))).toBe(true);
    expect(spokenLabel('crying_baby')).toBe('crying baby');
    expect(spokenLabel('door_wood__knock')).toBe('door wood knock');
  });
});

describe('zero-shot input errors', () => {
  const good = (): ZeroShotInput => ({
    audio: [f32(1, 0), f32(0, 1)],
    labels: [0, 1],
    classNames: ['a', 'b'],
    classPrompts: [[f32(1, 0)], [f32(0, 1)]],
  });
  const code = (patch: Partial<ZeroShotInput>): [string, string | undefined] => {
    const e = evaluationError(() => zeroShotClassify({ ...good(), ...patch }));
    return [e.code, e.subject];
  };

  it('rejects empty inputs', () => {
    expect(code({ audio: [], labels: [] })).toEqual(['EMPTY', 'audio']);
    expect(code({ classNames: [], classPrompts: [] })).toEqual(['EMPTY', 'classNames']);
    expect(code({ classPrompts: [[f32(1, 0)], []] })).toEqual(['EMPTY', 'classPrompts[1]']);
  });

  it('rejects mismatched lengths and dimensions', () => {
    expect(code({ labels: [0] })).toEqual(['LENGTH_MISMATCH', 'labels']);
    expect(code({ classPrompts: [[f32(1, 0)]] })).toEqual(['LENGTH_MISMATCH', 'classPrompts']);
    expect(code({ audio: [f32(1, 0), f32(0, 1, 0)] })).toEqual(['DIMENSION_MISMATCH', 'audio[1]']);
    expect(code({ classPrompts: [[f32(1, 0)], [f32(0, 1), f32(1, 1, 1)]] })).toEqual([
      'DIMENSION_MISMATCH',
      'classPrompts[1][1]',
    ]);
  });

  it('rejects NaN, infinite and zero embeddings', () => {
    expect(code({ audio: [f32(1, 0), f32(NaN, 1)] })).toEqual(['NOT_FINITE', 'audio[1]']);
    expect(code({ classPrompts: [[f32(Infinity, 0)], [f32(0, 1)]] })).toEqual([
      'NOT_FINITE',
      'classPrompts[0][0]',
    ]);
    expect(code({ audio: [f32(0, 0), f32(0, 1)] })).toEqual(['ZERO_VECTOR', 'audio[0]']);
    expect(code({ audio: [new Float32Array(0)], labels: [0] })).toEqual(['ZERO_VECTOR', 'audio[0]']);
    expect(code({ classPrompts: [[f32(0, 0)], [f32(0, 1)]] })).toEqual(['ZERO_VECTOR', 'classPrompts[0][0]']);
    expect(code({ classPrompts: [[f32(1, 0), f32(-2, 0)], [f32(0, 1)]] })).toEqual([
      'ZERO_VECTOR',
      'classPrompts[0]',
    ]);
  });

  it('rejects labels that are not class indices', () => {
    expect(code({ labels: [0, 2] })).toEqual(['LABEL_OUT_OF_RANGE', 'labels[1]']);
    expect(code({ labels: [-1, 0] })).toEqual(['LABEL_OUT_OF_RANGE', 'labels[0]']);
    expect(code({ labels: [0.5, 0] })).toEqual(['LABEL_OUT_OF_RANGE', 'labels[0]']);
  });

  it('rejects bad top-k values and templates', () => {
    expect(code({ topK: [] })).toEqual(['INVALID_OPTION', 'topK']);
    expect(code({ topK: [1, 0] })).toEqual(['INVALID_OPTION', 'topK']);
    expect(code({ topK: [2.5] })).toEqual(['INVALID_OPTION', 'topK']);
    expect(evaluationError(() => promptsFor('dog', ['a dog'])).code).toBe('INVALID_OPTION');
    expect(evaluationError(() => promptsFor('dog', [])).code).toBe('EMPTY');
    expect(evaluationError(() => promptsFor(' ', ['{label}'])).code).toBe('INVALID_OPTION');
  });
});
