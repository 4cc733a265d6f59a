import { describe, expect, it } from 'vitest';
import { createSession } from '../../runtime/session.ts';
import { f32, type HostTensor } from '../../runtime/host-tensor.ts';
import { GraphBuilder } from '../graph-builder.ts';
import { Rng } from '../rng.ts';
import { batchNorm, layerNorm, pixelNorm } from './norm.ts';

async function run(b: GraphBuilder, y: string, x: HostTensor): Promise<HostTensor> {
  b.output(y);
  return (await (await createSession(b.model())).run({ x }))[y]!;
}

const data = (b: GraphBuilder, name: string): Float32Array => b.findInitializer(name)!.data as Float32Array;

describe('normalisation layers', () => {
  it('layerNorm normalises the last axis, then applies weight and bias', async () => {
    const b = new GraphBuilder('t');
    const y = layerNorm(b, b.input('x', [2, 3, 4]), { name: 'ln_1', dim: 4 });
    data(b, 'ln_1.weight').set([1, 2, -1, 0.5]);
    data(b, 'ln_1.bias').set([0, 1, 0, -3]);
    const xv = new Rng(1).fillNormal(new Float32Array(24), 3, 1);
    const out = await run(b, y, f32(xv, [2, 3, 4]));
    expect(out.dims).toEqual([2, 3, 4]);
    for (let r = 0; r < 6; r++) {
      const row = [...xv.subarray(r * 4, r * 4 + 4)];
      const mean = row.reduce((s, v) => s + v, 0) / 4;
      const variance = row.reduce((s, v) => s + (v - mean) ** 2, 0) / 4;
      row.forEach((v, i) => {
        const ref =
          ((v - mean) / Math.sqrt(variance + 1e-5)) * data(b, 'ln_1.weight')[i]! + data(b, 'ln_1.bias')[i]!;
        expect(out.data[r * 4 + i]).toBeCloseTo(ref, 4);
      });
    }
  });

  it('batchNorm uses the running statistics (inference form) with torchvision names', async () => {
    const b = new GraphBuilder('t');
    const y = batchNorm(b, b.input('x', [2, 3, 2, 2]), { name: 'bn1', channels: 3 });
    const stats = {
      weight: [1.5, -1, 0.2],
      bias: [0, 2, -1],
      running_mean: [0.3, -2, 5],
      running_var: [4, 0.25, 1],
    };
    for (const [k, v] of Object.entries(stats)) data(b, `bn1.${k}`).set(v);
    const xv = new Rng(2).fillNormal(new Float32Array(24));
    const out = await run(b, y, f32(xv, [2, 3, 2, 2]));
    xv.forEach((v, i) => {
      const c = Math.floor(i / 4) % 3;
      const ref =
        ((v - stats.running_mean[c]!) / Math.sqrt(stats.running_var[c]! + 1e-5)) * stats.weight[c]! +
        stats.bias[c]!;
      expect(out.data[i]).toBeCloseTo(ref, 4);
    });
  });

  it('pixelNorm gives every vector along axis 1 unit RMS', async () => {
    const b = new GraphBuilder('t');
    const y = pixelNorm(b, b.input('x', [3, 8]));
    const xv = new Rng(3).fillNormal(new Float32Array(24), 7, 2);
    const out = await run(b, y, f32(xv, [3, 8]));
    for (let r = 0; r < 3; r++) {
      const row = [...(out.data as Float32Array).subarray(r * 8, r * 8 + 8)];
      expect(Math.sqrt(row.reduce((s, v) => s + v * v, 0) / 8)).toBeCloseTo(1, 5);
      // Direction is kept: each entry is the input over one positive factor.
      const ratio = xv[r * 8]! / row[0]!;
      row.forEach((v, i) => expect(xv[r * 8 + i]! / v).toBeCloseTo(ratio, 3));
    }
  });
});
