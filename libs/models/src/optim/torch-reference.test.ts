import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Adam, AdamW } from './adam.ts';
import { decodeFloat32, type Optimizer, type ParamMap } from './optimizer.ts';
import { cosineAnnealingLr, cyclicCosineLr, styleClipLr } from './schedules.ts';
import { SGD } from './sgd.ts';

// Written by tools/reference/optim_fixtures.py from torch.optim (see that script for the cases).
interface Fixture {
  torch: string;
  params: Record<string, number[]>;
  grads: Record<string, number[] | null>[];
  cases: {
    name: string;
    kind: 'sgd' | 'adam' | 'adamw';
    hyper: Record<string, unknown>;
    lrs?: number[];
    after: Record<string, number[]>[];
    state: Record<string, Record<string, number[] | number>>;
  }[];
  schedules: {
    cosineAnnealing: { lr: number; minLr: number; totalSteps: number; values: number[] };
    cyclicCosine: { lr: number; minLr: number; cycleSteps: number; values: number[] };
    styleClip: { lr: number; totalSteps: number; values: number[] };
  };
}

const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/optim-reference.json', import.meta.url), 'utf8'),
) as Fixture;

// The update rules round where PyTorch's float32 kernels do, so on the machine that wrote the fixture
// every value matched bit for bit; 1e-6 leaves room for a torch build that fuses differently.
const RTOL = 1e-6;

/** Largest relative error; an expected 0 must be matched exactly. */
function maxRelError(actual: ArrayLike<number>, expected: readonly number[]): number {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    const a = actual[i]!;
    const err = e === 0 ? (a === 0 ? 0 : Infinity) : Math.abs(a - e) / Math.abs(e);
    worst = Math.max(worst, err);
  }
  return worst;
}

function makeOptimizer(kind: string, params: ParamMap, hyper: Record<string, unknown>): Optimizer {
  const h = hyper as never;
  if (kind === 'sgd') return new SGD(params, h);
  if (kind === 'adam') return new Adam(params, h);
  return new AdamW(params, h);
}

describe(`optimisers match torch.optim (torch ${fixture.torch})`, () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      const params: ParamMap = {};
      for (const [name, v] of Object.entries(fixture.params)) params[name] = Float32Array.from(v);
      const opt = makeOptimizer(c.kind, params, c.hyper);
      fixture.grads.forEach((step, i) => {
        const grads: ParamMap = {};
        for (const [name, g] of Object.entries(step)) if (g !== null) grads[name] = Float32Array.from(g);
        opt.step(grads, c.lrs?.[i]);
        for (const [name, expected] of Object.entries(c.after[i]!)) {
          expect(maxRelError(params[name]!, expected), `${name} after step ${i + 1}`).toBeLessThanOrEqual(
            RTOL,
          );
        }
      });
      const state = opt.state();
      for (const [name, expected] of Object.entries(c.state)) {
        const slot = state.params[name]!;
        const { step, ...buffers } = expected;
        if (step !== undefined) expect(slot.step, `${name} step`).toBe(step);
        expect(Object.keys(slot.buffers).sort()).toEqual(Object.keys(buffers).sort());
        for (const [key, values] of Object.entries(buffers)) {
          expect(
            maxRelError(decodeFloat32(slot.buffers[key]!), values as number[]),
            `${name}.${key}`,
          ).toBeLessThanOrEqual(RTOL);
        }
      }
    });
  }
});

describe('schedules match torch.optim.lr_scheduler and StyleCLIP get_lr', () => {
  const { cosineAnnealing: ca, cyclicCosine: cc, styleClip: sc } = fixture.schedules;

  it('cosine annealing = CosineAnnealingLR', () => {
    const s = cosineAnnealingLr(ca);
    expect(
      maxRelError(
        ca.values.map((_, i) => s(i)),
        ca.values,
      ),
    ).toBeLessThanOrEqual(1e-12);
  });

  it('cyclic cosine = CosineAnnealingWarmRestarts (T_mult 1)', () => {
    const s = cyclicCosineLr(cc);
    expect(
      maxRelError(
        cc.values.map((_, i) => s(i)),
        cc.values,
      ),
    ).toBeLessThanOrEqual(1e-12);
  });

  it('styleClip = get_lr(step / total)', () => {
    const s = styleClipLr(sc);
    const got = sc.values.map((_, i) => s(i));
    for (let i = 0; i < got.length; i++) expect(got[i]).toBeCloseTo(sc.values[i]!, 14);
  });
});
