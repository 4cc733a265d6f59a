import { describe, expect, it } from 'vitest';
import { Adam, AdamW, type AdamOptions } from './adam.ts';
import { decodeFloat32, OptimizerConfigError } from './optimizer.ts';

const params = (): Record<string, Float32Array> => ({ w: Float32Array.from([1, -2, 3, 0]) });

describe('Adam / AdamW', () => {
  it('first step moves each element by lr (bias correction makes m / sqrt(v) = sign(g))', () => {
    const p = params();
    new Adam(p, { lr: 0.1 }).step({ w: Float32Array.from([5, -0.25, 1e-3, 0]) });
    expect(p.w![0]).toBeCloseTo(0.9, 6);
    expect(p.w![1]).toBeCloseTo(-1.9, 6);
    expect(p.w![2]).toBeCloseTo(2.9, 4); // eps matters a little at |g| = 1e-3
    expect(p.w![3]).toBe(0); // 0 / (0 + eps)
  });

  it('AdamW decays decoupled from the gradient; Adam adds L2 to it', () => {
    const zero = { w: new Float32Array(4) };
    const pw = params();
    new AdamW(pw, { lr: 0.1, weightDecay: 0.5 }).step(zero);
    expect(Array.from(pw.w!)).toEqual(Array.from(params().w!.map((x) => Math.fround(x * Math.fround(0.95)))));
    const pa = params();
    new Adam(pa, { lr: 0.1, weightDecay: 0.5 }).step(zero);
    // L2 gradient 0.5 * p, so the first Adam step moves each nonzero element by lr against its sign.
    expect(pa.w![0]).toBeCloseTo(0.9, 6);
    expect(pa.w![1]).toBeCloseTo(-1.9, 6);
  });

  it('AdamW defaults weightDecay to 1e-2, Adam to 0 (as PyTorch)', () => {
    expect(new AdamW(params()).hyperParameters.weightDecay).toBe(1e-2);
    expect(new Adam(params()).hyperParameters).toEqual({
      lr: 1e-3,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: 0,
      amsgrad: false,
      maximize: false,
    });
  });

  it('amsgrad keeps the running maximum of the second moment', () => {
    const opt = new Adam(params(), { amsgrad: true, betas: [0.9, 0.5] });
    opt.step({ w: Float32Array.from([4, 4, 4, 4]) });
    opt.step({ w: Float32Array.from([0, 0, 0, 0]) });
    const b = opt.state().params.w!.buffers;
    const v = decodeFloat32(b.expAvgSq!);
    const vmax = decodeFloat32(b.maxExpAvgSq!);
    expect(v[0]).toBeCloseTo(4, 5); // 0.5 * 8 + 0
    expect(vmax[0]).toBeCloseTo(8, 5);
  });

  const bad: [AdamOptions & Record<string, unknown>, RegExp][] = [
    [{ lr: 0 }, /lr must be a finite number > 0, got 0/],
    [{ lr: Number.NaN }, /lr must be a finite number > 0, got NaN/],
    [{ betas: [Number.NaN, 0.999] }, /betas\[0\] must be a finite number in \[0, 1\), got NaN/],
    [{ betas: [0.9, 1] }, /betas\[1\] must be a finite number in \[0, 1\)/],
    [{ betas: [0.9] as unknown as [number, number] }, /betas must be a pair/],
    [{ eps: 0 }, /eps must be a finite number > 0/],
    [{ eps: Number.NaN }, /eps must be a finite number > 0, got NaN/],
    [{ weightDecay: Number.NaN }, /weightDecay must be a finite number >= 0, got NaN/],
    [{ weightDecay: -0.01 }, /weightDecay/],
    [{ amsgrad: 1 as unknown as boolean }, /amsgrad must be a boolean/],
    [{ beta1: 0.9 }, /unknown (Adam|AdamW) option 'beta1'/],
  ];
  for (const Ctor of [Adam, AdamW]) {
    for (const [opts, message] of bad) {
      it(`${Ctor.name} rejects ${Object.keys(opts).join(', ')} = ${String(Object.values(opts)[0])}`, () => {
        let err: unknown;
        try {
          new Ctor(params(), opts);
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(OptimizerConfigError);
        expect((err as Error).message).toMatch(message);
      });
    }
  }
});
