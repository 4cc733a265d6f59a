import { describe, expect, it } from 'vitest';
import { OptimizerConfigError } from './optimizer.ts';
import { SGD, type SgdOptions } from './sgd.ts';

const params = (): Record<string, Float32Array> => ({ w: Float32Array.from([1, -2, 3]) });

describe('SGD', () => {
  it('plain step is p -= lr * g; the first momentum step sets buf = g (no dampening applied)', () => {
    const p = params();
    new SGD(p, { lr: 0.5 }).step({ w: Float32Array.from([2, 2, -4]) });
    expect(Array.from(p.w!)).toEqual([0, -3, 5]);

    const q = params();
    const opt = new SGD(q, { lr: 1, momentum: 0.5, dampening: 0.5 });
    opt.step({ w: Float32Array.from([1, 1, 1]) });
    expect(Array.from(q.w!)).toEqual([0, -3, 2]);
    opt.step({ w: Float32Array.from([1, 1, 1]) });
    // buf = 0.5 * 1 + (1 - 0.5) * 1 = 1
    expect(Array.from(q.w!)).toEqual([-1, -4, 1]);
    expect(Object.keys(opt.state().params.w!.buffers)).toEqual(['momentumBuffer']);
  });

  it('without momentum holds no buffer', () => {
    const opt = new SGD(params(), { lr: 0.1, weightDecay: 0.1 });
    opt.step({ w: new Float32Array(3) });
    expect(opt.state().params.w!.buffers).toEqual({});
  });

  const bad: [Partial<SgdOptions> & Record<string, unknown>, RegExp][] = [
    [{ lr: 0 }, /lr must be a finite number > 0, got 0/],
    [{ lr: -0.1 }, /lr must be a finite number > 0/],
    [{ lr: Number.NaN }, /lr must be a finite number > 0, got NaN/],
    [{ lr: Infinity }, /lr must be a finite number > 0/],
    [{ momentum: Number.NaN }, /momentum must be a finite number in \[0, 1\), got NaN/],
    [{ momentum: 1 }, /momentum must be a finite number in \[0, 1\)/],
    [{ momentum: -0.1 }, /momentum/],
    [{ dampening: 1.5 }, /dampening must be a finite number in \[0, 1\]/],
    [{ weightDecay: Number.NaN }, /weightDecay must be a finite number >= 0, got NaN/],
    [{ weightDecay: -1e-4 }, /weightDecay/],
    [{ nesterov: true }, /nesterov needs momentum > 0 and dampening 0/],
    [{ nesterov: true, momentum: 0.9, dampening: 0.1 }, /nesterov needs/],
    [{ weight_decay: 0.1 }, /unknown SGD option 'weight_decay'/],
    [{ maximize: 'yes' as unknown as boolean }, /maximize must be a boolean/],
  ];
  for (const [opts, message] of bad) {
    it(`rejects ${JSON.stringify(opts, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v))}`, () => {
      let err: unknown;
      try {
        new SGD(params(), { lr: 0.1, ...opts });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(OptimizerConfigError);
      expect((err as Error).message).toMatch(message);
    });
  }
});
