import { describe, expect, it } from 'vitest';
import { createSession } from '../../runtime/session.ts';
import { f32 } from '../../runtime/host-tensor.ts';
import { GraphBuilder } from '../graph-builder.ts';
import { Rng } from '../rng.ts';
import { equalLinear, linear } from './linear.ts';

const weights = (b: GraphBuilder, name: string): Float32Array =>
  b.findInitializer(name)!.data as Float32Array;

/** y[r, o] = Σ_i x[r, i] W[o, i] · scale + bias[o]. */
function affine(
  x: Float32Array,
  rows: number,
  w: Float32Array,
  inF: number,
  outF: number,
  scale: number,
  bias?: Float32Array,
  biasScale = 1,
): number[] {
  const y: number[] = [];
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < outF; o++) {
      let s = 0;
      for (let i = 0; i < inF; i++) s += x[r * inF + i]! * w[o * inF + i]!;
      y.push(s * scale + (bias ? bias[o]! * biasScale : 0));
    }
  }
  return y;
}

describe('linear layers', () => {
  it('linear: x @ Wᵀ + b on a rank-3 input, with nn.Linear names and shapes', async () => {
    const b = new GraphBuilder('t', 3);
    const x = b.input('x', [2, 3, 4]);
    b.output(linear(b, x, { name: 'fc', inFeatures: 4, outFeatures: 5 }));
    expect(b.findInitializer('fc.weight')!.dims).toEqual([5, 4]);
    expect(b.findInitializer('fc.bias')!.dims).toEqual([5]);
    const xv = new Rng(1).fillNormal(new Float32Array(24));
    const out = Object.values(await (await createSession(b.model())).run({ x: f32(xv, [2, 3, 4]) }))[0]!;
    expect(out.dims).toEqual([2, 3, 5]);
    const ref = affine(xv, 6, weights(b, 'fc.weight'), 4, 5, 1, weights(b, 'fc.bias'));
    ref.forEach((v, i) => expect(out.data[i]).toBeCloseTo(v, 5));
  });

  it('linear without bias has no bias initializer', () => {
    const b = new GraphBuilder('t');
    linear(b, b.input('x', [1, 3]), { name: 'p', inFeatures: 3, outFeatures: 2, bias: false });
    expect(b.findInitializer('p.bias')).toBeUndefined();
  });

  it('equalLinear with lr_mul 0.01 and fused leaky ReLU matches rosinality', async () => {
    const b = new GraphBuilder('t', 5);
    const x = b.input('x', [3, 6]);
    b.output(
      equalLinear(b, x, {
        name: 'style.1',
        inDim: 6,
        outDim: 4,
        lrMul: 0.01,
        biasInit: 0.3,
        activation: 'fusedLeakyRelu',
      }),
    );
    const w = weights(b, 'style.1.weight');
    // Stored divided by lr_mul: std 100.
    const std = Math.sqrt(w.reduce((s, v) => s + v * v, 0) / w.length);
    expect(std).toBeGreaterThan(30);
    const bias = weights(b, 'style.1.bias');
    expect([...bias]).toEqual([0.3, 0.3, 0.3, 0.3].map(Math.fround));
    bias.set([1, -2, 0.5, 30]);
    const xv = new Rng(2).fillNormal(new Float32Array(18));
    const out = Object.values(await (await createSession(b.model())).run({ x: f32(xv, [3, 6]) }))[0]!;
    const ref = affine(xv, 3, w, 6, 4, 0.01 / Math.sqrt(6), bias, 0.01);
    ref.forEach((v, i) => expect(out.data[i]).toBeCloseTo((v >= 0 ? v : 0.2 * v) * Math.SQRT2, 4));
  });

  it('equalLinear without activation (the modulation layer form)', async () => {
    const b = new GraphBuilder('t', 6);
    const x = b.input('x', [2, 5]);
    b.output(equalLinear(b, x, { name: 'mod', inDim: 5, outDim: 3, biasInit: 1 }));
    const xv = new Rng(3).fillNormal(new Float32Array(10));
    const out = Object.values(await (await createSession(b.model())).run({ x: f32(xv, [2, 5]) }))[0]!;
    const ref = affine(xv, 2, weights(b, 'mod.weight'), 5, 3, 1 / Math.sqrt(5), weights(b, 'mod.bias'));
    ref.forEach((v, i) => expect(out.data[i]).toBeCloseTo(v, 5));
  });
});
