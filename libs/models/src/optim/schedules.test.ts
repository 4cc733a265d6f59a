import { describe, expect, it } from 'vitest';
import { OptimizerConfigError } from './optimizer.ts';
import { constantLr, cosineAnnealingLr, cyclicCosineLr, linearWarmup, styleClipLr } from './schedules.ts';

describe('schedules at known points', () => {
  it('constant', () => {
    const s = constantLr(0.3);
    expect([0, 1, 1e6].map(s)).toEqual([0.3, 0.3, 0.3]);
  });

  it('cosine annealing: lr at 0, midpoint halfway to the floor, floor at the end and after', () => {
    const s = cosineAnnealingLr({ lr: 0.1, minLr: 0.02, totalSteps: 100 });
    expect(s(0)).toBe(0.1);
    expect(s(50)).toBeCloseTo(0.06, 15);
    expect(s(25)).toBeCloseTo(0.02 + (0.08 * (1 + Math.SQRT1_2)) / 2, 15);
    expect(s(100)).toBeCloseTo(0.02, 15);
    expect(s(250)).toBeCloseTo(0.02, 15);
    expect(cosineAnnealingLr({ lr: 1, totalSteps: 10 })(10)).toBeCloseTo(0, 15);
  });

  it('cyclic cosine restarts at every cycle boundary', () => {
    const s = cyclicCosineLr({ lr: 0.1, minLr: 0.001, cycleSteps: 10 });
    for (const start of [0, 10, 20, 1000]) {
      expect(s(start)).toBe(0.1);
      expect(s(start + 5)).toBeCloseTo(0.0505, 15);
      // the last step of a cycle is close to, not at, the floor
      expect(s(start + 9)).toBeCloseTo(0.001 + (0.099 * (1 + Math.cos(0.9 * Math.PI))) / 2, 15);
    }
    expect(s(9)).toBeLessThan(s(8));
    expect(s(10)).toBeGreaterThan(s(9));
  });

  it('linear warm-up rises to the inner schedule, which then runs from its own step 0', () => {
    const s = linearWarmup(cosineAnnealingLr({ lr: 0.2, totalSteps: 10 }), { warmupSteps: 4 });
    [0, 0.05, 0.1, 0.15].forEach((lr, step) => expect(s(step)).toBeCloseTo(lr, 15));
    expect(s(4)).toBe(0.2);
    expect(s(9)).toBeCloseTo(0.1, 15);
    expect(s(14)).toBeCloseTo(0, 15);
    const withStart = linearWarmup(constantLr(1), { warmupSteps: 2, startFactor: 0.5 });
    [0.5, 0.75, 1, 1].forEach((lr, step) => expect(withStart(step)).toBeCloseTo(lr, 15));
    expect(linearWarmup(constantLr(1), { warmupSteps: 0 })(0)).toBe(1);
  });

  it('StyleCLIP: 0 at t=0, ramps up until t=0.05, flat, cosine ramp-down over the last quarter, 0 at t=1', () => {
    const s = styleClipLr({ lr: 0.1, totalSteps: 1000 });
    expect(s(0)).toBe(0);
    expect(s(25)).toBeCloseTo(0.05, 15);
    expect(s(50)).toBeCloseTo(0.1, 15);
    expect(s(500)).toBeCloseTo(0.1, 15);
    expect(s(750)).toBeCloseTo(0.1, 15);
    expect(s(875)).toBeCloseTo(0.05, 15);
    expect(s(1000)).toBe(0);
    expect(s(1200)).toBe(0);
    const custom = styleClipLr({ lr: 1, totalSteps: 10, rampUp: 0.5, rampDown: 0.5 });
    expect(custom(5)).toBeCloseTo(1, 15);
    expect(custom(2)).toBeCloseTo(0.4 * (0.5 - 0.5 * Math.cos(Math.PI)), 15);
  });
});

describe('schedule arguments are validated', () => {
  const cases: [string, () => unknown, RegExp][] = [
    ['constant lr 0', () => constantLr(0), /lr must be a finite number > 0/],
    ['cosine lr NaN', () => cosineAnnealingLr({ lr: Number.NaN, totalSteps: 10 }), /lr .* got NaN/],
    [
      'cosine floor above lr',
      () => cosineAnnealingLr({ lr: 0.1, minLr: 0.2, totalSteps: 10 }),
      /minLr must be a finite number in \[0, 0.1\]/,
    ],
    [
      'cosine 0 steps',
      () => cosineAnnealingLr({ lr: 0.1, totalSteps: 0 }),
      /totalSteps must be an integer >= 1/,
    ],
    [
      'cyclic fractional cycle',
      () => cyclicCosineLr({ lr: 0.1, cycleSteps: 2.5 }),
      /cycleSteps must be an integer >= 1/,
    ],
    ['warm-up negative', () => linearWarmup(constantLr(1), { warmupSteps: -1 }), /warmupSteps/],
    [
      'warm-up startFactor NaN',
      () => linearWarmup(constantLr(1), { warmupSteps: 3, startFactor: Number.NaN }),
      /startFactor/,
    ],
    [
      'styleClip rampUp 0',
      () => styleClipLr({ lr: 0.1, totalSteps: 10, rampUp: 0 }),
      /rampUp must be a finite number in \(0, 1\], got 0/,
    ],
    [
      'styleClip rampDown 2',
      () => styleClipLr({ lr: 0.1, totalSteps: 10, rampDown: 2 }),
      /rampDown must be a finite number in \(0, 1\], got 2/,
    ],
    ['negative step', () => constantLr(1)(-1), /schedule step must be a finite number >= 0/],
    ['NaN step', () => styleClipLr({ lr: 1, totalSteps: 5 })(Number.NaN), /schedule step/],
  ];
  for (const [label, fn, message] of cases) {
    it(label, () => {
      expect(fn).toThrow(OptimizerConfigError);
      expect(fn).toThrow(message);
    });
  }
});
