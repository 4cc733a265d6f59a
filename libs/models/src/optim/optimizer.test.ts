import { describe, expect, it } from 'vitest';
import { Rng } from '../builder/rng.ts';
import { Adam, AdamW } from './adam.ts';
import {
  decodeFloat32,
  encodeFloat32,
  GradientMismatchError,
  NonFiniteGradientError,
  OptimizerConfigError,
  OptimizerStateError,
  type Optimizer,
  type OptimizerState,
  type ParamMap,
} from './optimizer.ts';
import { cosineAnnealingLr, linearWarmup, styleClipLr, type LrSchedule } from './schedules.ts';
import { SGD } from './sgd.ts';

const SIZES = { latent: 18 * 8, weight: 33, bias: 5 };

function makeParams(seed: number): ParamMap {
  const rng = new Rng(seed);
  const out: ParamMap = {};
  for (const [name, n] of Object.entries(SIZES)) out[name] = rng.fillNormal(new Float32Array(n));
  return out;
}

function clone(params: ParamMap): ParamMap {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v.slice()]));
}

/** Deterministic gradients for step `i`; 'bias' gets none on every third step (PyTorch: grad None). */
function gradsAt(i: number): ParamMap {
  const rng = new Rng(1000 + i);
  const out: ParamMap = {};
  for (const [name, n] of Object.entries(SIZES)) {
    if (name === 'bias' && i % 3 === 2) continue;
    out[name] = rng.fillNormal(new Float32Array(n), 0.5 + (i % 4));
  }
  return out;
}

function bytesOf(params: ParamMap): Record<string, string> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, encodeFloat32(v).base64]));
}

type Make = (params: ParamMap) => Optimizer;

const MAKERS: [string, Make, LrSchedule][] = [
  [
    'SGD nesterov + L2',
    (p) => new SGD(p, { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 1e-3 }),
    cosineAnnealingLr({ lr: 0.05, minLr: 1e-4, totalSteps: 20 }),
  ],
  [
    'SGD dampened',
    (p) => new SGD(p, { lr: 0.05, momentum: 0.8, dampening: 0.3 }),
    linearWarmup(cosineAnnealingLr({ lr: 0.05, totalSteps: 15 }), { warmupSteps: 5 }),
  ],
  [
    'Adam amsgrad + L2',
    (p) => new Adam(p, { lr: 0.02, amsgrad: true, weightDecay: 0.01 }),
    styleClipLr({ lr: 0.1, totalSteps: 20 }),
  ],
  ['AdamW', (p) => new AdamW(p, { lr: 0.01, weightDecay: 0.05 }), styleClipLr({ lr: 0.05, totalSteps: 20 })],
];

describe('save -> load -> continue equals an uninterrupted run, bit for bit', () => {
  for (const [label, make, schedule] of MAKERS) {
    it(label, () => {
      const steps = 20;
      const split = 7;
      const straight = makeParams(7);
      const initial = clone(straight);
      const a = make(straight);
      for (let i = 0; i < steps; i++) a.step(gradsAt(i), schedule(a.stepCount));

      const first = clone(initial);
      const b = make(first);
      for (let i = 0; i < split; i++) b.step(gradsAt(i), schedule(b.stepCount));
      const saved = JSON.stringify(b.state());

      // A fresh process: new arrays holding the saved parameter values, a new optimiser, the saved state.
      const resumed = clone(first);
      const c = make(resumed);
      c.load(JSON.parse(saved));
      expect(c.stepCount).toBe(split);
      for (let i = split; i < steps; i++) c.step(gradsAt(i), schedule(c.stepCount));

      expect(bytesOf(resumed)).toEqual(bytesOf(straight));
      expect(JSON.stringify(c.state())).toBe(JSON.stringify(a.state()));
      expect(bytesOf(straight)).not.toEqual(bytesOf(initial));
    });
  }

  it('load restores hyper-parameters (the checkpoint wins, as in PyTorch), and lr stays settable', () => {
    const a = new Adam(makeParams(1), { lr: 0.05, betas: [0.8, 0.95], amsgrad: true });
    a.step(gradsAt(0));
    const b = new Adam(makeParams(1), { lr: 0.001 });
    b.load(a.state());
    expect(b.lr).toBe(0.05);
    expect(b.hyperParameters).toEqual(a.hyperParameters);
    b.lr = 0.2;
    expect(b.state().hyper.lr).toBe(0.2);
    expect(() => (b.lr = 0)).toThrow(OptimizerConfigError);
    expect(() => (b.lr = Number.NaN)).toThrow(/lr must be a finite number > 0/);
  });
});

describe('state()', () => {
  it('is plain JSON: typed arrays become base64 with their length', () => {
    const opt = new AdamW(makeParams(3), { amsgrad: true });
    expect(opt.state().params.latent).toEqual({ length: SIZES.latent, step: 0, buffers: {} });
    opt.step(gradsAt(0));
    const s = opt.state();
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
    expect(s).toMatchObject({ format: 'soundedit-optimizer', version: 1, kind: 'adamw', stepCount: 1 });
    const m = s.params.weight!.buffers.expAvg!;
    expect(m.length).toBe(SIZES.weight);
    expect(Buffer.from(m.base64, 'base64').length).toBe(4 * SIZES.weight);
    expect(Object.keys(s.params.weight!.buffers).sort()).toEqual(['expAvg', 'expAvgSq', 'maxExpAvgSq']);
  });

  it('encodes float32 bit for bit (negative zero, subnormals, NaN payloads) and from a sub-array view', () => {
    const bits = new Uint32Array([0x80000000, 0x00000001, 0x7fc01234, 0xff800000, 0x3f800000]);
    const backing = new Float32Array(8);
    const view = new Float32Array(backing.buffer, 12, 5);
    new Uint32Array(backing.buffer, 12, 5).set(bits);
    const back = decodeFloat32(encodeFloat32(view));
    expect(Array.from(new Uint32Array(back.buffer))).toEqual(Array.from(bits));
  });
});

describe('load() validation', () => {
  const trained = (): { opt: Adam; state: OptimizerState } => {
    const opt = new Adam(makeParams(5), { lr: 0.01 });
    opt.step(gradsAt(0));
    opt.step(gradsAt(1));
    return { opt, state: JSON.parse(JSON.stringify(opt.state())) as OptimizerState };
  };

  function expectRejected(mutate: (s: OptimizerState) => unknown, message: RegExp): void {
    const { state } = trained();
    const target = new Adam(makeParams(6), { lr: 0.03 });
    target.step(gradsAt(4));
    const before = JSON.stringify(target.state());
    const bad = mutate(state) ?? state;
    let err: unknown;
    try {
      target.load(bad);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(OptimizerStateError);
    expect((err as Error).message).toMatch(message);
    // Atomic: a rejected state changes nothing.
    expect(JSON.stringify(target.state())).toBe(before);
  }

  it('rejects a state for another optimiser kind', () => {
    const { state } = trained();
    expect(() => new AdamW(makeParams(5)).load(state)).toThrow(
      /kind: the state is for optimizer 'adam', this optimizer is 'adamw'/,
    );
    expect(() => new SGD(makeParams(5), { lr: 0.1 }).load(state)).toThrow(OptimizerStateError);
    expectRejected((s) => ({ ...s, kind: 'sgd' }), /kind/);
  });

  it('rejects unknown and missing parameters, naming them', () => {
    expectRejected((s) => {
      s.params.extra = s.params.bias!;
    }, /params\.extra: unknown parameter \(this optimizer holds: latent, weight, bias\)/);
    expectRejected((s) => {
      delete s.params.weight;
    }, /params\.weight: missing/);
  });

  it('rejects wrong lengths', () => {
    expectRejected((s) => {
      s.params.bias!.length = 6;
    }, /params\.bias\.length: the state has 6 elements, the parameter has 5/);
    expectRejected((s) => {
      s.params.bias!.buffers.expAvg!.length = 4;
    }, /params\.bias\.buffers\.expAvg\.length: 4 elements, the parameter has 5/);
    expectRejected((s) => {
      s.params.bias!.buffers.expAvgSq!.base64 = encodeFloat32(new Float32Array(4)).base64;
    }, /params\.bias\.buffers\.expAvgSq: base64 holds 16 bytes, expected 20/);
  });

  it('rejects malformed envelopes, buffers and hyper-parameters', () => {
    expectRejected(() => 'not a state', /state: not an object/);
    expectRejected((s) => ({ ...s, format: 'torch' }), /format: expected 'soundedit-optimizer'/);
    expectRejected((s) => ({ ...s, version: 2 }), /version: expected 1/);
    expectRejected((s) => ({ ...s, stepCount: -1 }), /stepCount/);
    expectRejected((s) => {
      s.params.bias!.step = 3;
    }, /params\.bias\.step: not an integer in \[0, stepCount=2\]/);
    expectRejected((s) => {
      s.params.bias!.buffers.maxExpAvgSq = s.params.bias!.buffers.expAvg!;
    }, /params\.bias\.buffers\.maxExpAvgSq: unexpected buffer/);
    expectRejected((s) => {
      delete s.params.latent!.buffers.expAvgSq;
    }, /params\.latent\.buffers\.expAvgSq: missing/);
    expectRejected((s) => {
      s.params.latent!.buffers.expAvg!.base64 = '***';
    }, /not base64/);
    expectRejected((s) => {
      s.hyper.lr = -1;
    }, /hyper\.lr: .*lr must be a finite number > 0, got -1/);
    expectRejected((s) => {
      s.hyper.betas = [0.9];
    }, /hyper\.betas/);
    expectRejected((s) => {
      s.hyper.momentum = 0.9;
    }, /hyper\.momentum: unknown Adam option 'momentum'/);
  });
});

describe('step() validation', () => {
  for (const bad of [Number.NaN, Infinity, -Infinity]) {
    it(`a gradient holding ${bad} throws NonFiniteGradientError naming the parameter; nothing changes`, () => {
      const params = makeParams(9);
      const opt = new Adam(params, { lr: 0.01 });
      opt.step(gradsAt(0));
      const before = bytesOf(params);
      const stateBefore = JSON.stringify(opt.state());
      const grads = gradsAt(1);
      grads.weight![17] = bad;
      let err: unknown;
      try {
        opt.step(grads);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(NonFiniteGradientError);
      expect(err).toMatchObject({ param: 'weight', index: 17 });
      expect((err as Error).message).toMatch(/gradient of 'weight' is not finite .* at element 17/);
      // 'latent' comes before 'weight' and had a good gradient: it must not have moved either.
      expect(bytesOf(params)).toEqual(before);
      expect(JSON.stringify(opt.state())).toBe(stateBefore);
      expect(opt.stepCount).toBe(1);
    });
  }

  it('rejects gradients for unknown parameters, of the wrong length or type', () => {
    const opt = new SGD(makeParams(2), { lr: 0.1 });
    expect(() => opt.step({ ...gradsAt(0), bais: new Float32Array(5) })).toThrow(GradientMismatchError);
    expect(() => opt.step({ bais: new Float32Array(5) })).toThrow(
      /gradient for 'bais', which this optimizer does not hold \(params: latent, weight, bias\)/,
    );
    expect(() => opt.step({ bias: new Float32Array(4) })).toThrow(
      /gradient for 'bias' has 4 elements, the parameter has 5/,
    );
    expect(() => opt.step({ bias: [1, 2, 3, 4, 5] as unknown as Float32Array })).toThrow(
      /not a Float32Array/,
    );
    expect(opt.stepCount).toBe(0);
  });

  it('rejects a NaN or negative step lr, accepts 0 (a schedule endpoint)', () => {
    const params = makeParams(2);
    const opt = new AdamW(params, { lr: 0.1, weightDecay: 0.1 });
    expect(() => opt.step(gradsAt(0), Number.NaN)).toThrow(/step lr must be a finite number >= 0, got NaN/);
    expect(() => opt.step(gradsAt(0), -1e-3)).toThrow(OptimizerConfigError);
    const before = bytesOf(params);
    opt.step(gradsAt(0), 0);
    expect(bytesOf(params)).toEqual(before);
    expect(opt.state().params.weight!.step).toBe(1);
  });

  it('a parameter without a gradient is skipped: value and state unchanged, its step count lags', () => {
    const params = makeParams(4);
    const opt = new Adam(params, { lr: 0.01 });
    opt.step(gradsAt(0));
    const bias = params.bias!.slice();
    const biasState = JSON.stringify(opt.state().params.bias);
    const { bias: _skip, ...rest } = gradsAt(1);
    opt.step(rest);
    expect(params.bias).toEqual(bias);
    expect(JSON.stringify(opt.state().params.bias)).toBe(biasState);
    expect(opt.state().params.weight!.step).toBe(2);
    expect(opt.state().params.bias!.step).toBe(1);
    expect(opt.stepCount).toBe(2);
  });
});

describe('construction', () => {
  it('rejects empty, non-Float32Array and aliased parameters', () => {
    expect(() => new SGD({}, { lr: 0.1 })).toThrow(/params is empty/);
    expect(() => new Adam({ w: [1, 2] as unknown as Float32Array })).toThrow(
      /param 'w' is not a Float32Array/,
    );
    const shared = new Float32Array(10);
    expect(() => new Adam({ a: shared.subarray(0, 6), b: shared.subarray(5) })).toThrow(
      /params 'a' and 'b' share memory/,
    );
    expect(() => new Adam({ a: shared.subarray(0, 5), b: shared.subarray(5) })).not.toThrow();
  });
});
