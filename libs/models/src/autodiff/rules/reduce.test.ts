import { describe, expect, it } from 'vitest';
import { gradCheck, type GradCheckInput } from '../../testing/gradcheck.ts';
import { expectGradOk, input } from '../../testing/expect-grad.ts';

const x = input;
const axesInput = (axes: number[]): GradCheckInput => ({
  shape: [axes.length],
  gen: { int64: axes },
  constant: true,
});

describe('reduce gradient rules (finite differences in onnxruntime)', () => {
  describe('ReduceSum (axes as an input)', () => {
    for (const keepdims of [0, 1]) {
      it(`axes from a graph input, negative axis, keepdims ${keepdims}`, () =>
        expectGradOk(
          gradCheck({
            inputs: { a: x([2, 3, 4]), axes: axesInput([-1, 0]) },
            build: (b, i) => b.op('ReduceSum', [i.a!, i.axes!], { keepdims }),
          }),
        ));
      it(`axes from an initializer on an intermediate tensor, keepdims ${keepdims}`, () =>
        expectGradOk(
          gradCheck({
            inputs: { a: x([2, 3, 4]) },
            build: (b, i) => b.op('ReduceSum', [b.op('Tanh', [i.a!]), b.constI64([1])], { keepdims }),
          }),
        ));
    }
    it('no axes: reduces everything', () =>
      expectGradOk(
        gradCheck({ inputs: { a: x([3, 4]) }, build: (b, i) => b.op('ReduceSum', [i.a!], { keepdims: 0 }) }),
      ));
  });

  describe('ReduceMean', () => {
    for (const keepdims of [0, 1]) {
      it(`negative axes with a static shape, keepdims ${keepdims}`, () =>
        expectGradOk(
          gradCheck({
            inputs: { a: x([2, 3, 4]) },
            build: (b, i) => b.op('ReduceMean', [i.a!], { axes: [-2, 0], keepdims }),
          }),
        ));
      it(`on an intermediate tensor (run-time count), keepdims ${keepdims}`, () =>
        expectGradOk(
          gradCheck({
            inputs: { a: x([2, 3, 4]) },
            build: (b, i) => b.op('ReduceMean', [b.op('Tanh', [i.a!])], { axes: [1], keepdims }),
          }),
        ));
    }
    it('all axes', () =>
      expectGradOk(gradCheck({ inputs: { a: x([3, 5]) }, build: (b, i) => b.op('ReduceMean', [i.a!]) })));
    it('all axes of an intermediate tensor', () =>
      expectGradOk(
        gradCheck({
          inputs: { a: x([3, 5]) },
          build: (b, i) => b.op('ReduceMean', [b.op('Exp', [i.a!])], { keepdims: 0 }),
        }),
      ));
  });

  describe('ReduceSumSquare', () => {
    for (const keepdims of [0, 1]) {
      it(`axis -1, keepdims ${keepdims}`, () =>
        expectGradOk(
          gradCheck({
            inputs: { a: x([3, 2, 4]) },
            build: (b, i) => b.op('ReduceSumSquare', [i.a!], { axes: [-1], keepdims }),
          }),
        ));
    }
    it('all axes', () =>
      expectGradOk(
        gradCheck({ inputs: { a: x([2, 5]) }, build: (b, i) => b.op('ReduceSumSquare', [i.a!]) }),
      ));
  });

  describe('ReduceL2', () => {
    for (const keepdims of [0, 1]) {
      it(`axes [0, -1], keepdims ${keepdims}`, () =>
        expectGradOk(
          gradCheck({
            inputs: { a: x([3, 2, 4]) },
            build: (b, i) => b.op('ReduceL2', [i.a!], { axes: [0, -1], keepdims }),
          }),
        ));
    }
    it('all axes', () =>
      expectGradOk(
        gradCheck({ inputs: { a: x([2, 5]) }, build: (b, i) => b.op('ReduceL2', [i.a!], { keepdims: 0 }) }),
      ));
    it('is 0, not NaN, for an all-zero slice', async () => {
      const report = await gradCheck({
        inputs: { a: x([2, 3], { values: [0, 0, 0, 1, -2, 0.5] }) },
        build: (b, i) => b.op('ReduceL2', [i.a!], { axes: [1], keepdims: 0 }),
        maxElements: 0,
      });
      expect(Array.from(report.analytic.a!.slice(0, 3)).every((v) => v === 0)).toBe(true);
      expect(report.analytic.a!.every(Number.isFinite)).toBe(true);
    });
  });

  // Distinct values at least 0.1 apart except for exact ties, so the FD step (0.01) never reorders them.
  const spaced = {
    values: [
      0.3, -1.2, 0.9, 0.5, 2.1, -0.4, 1.7, 0.0, -0.8, 1.1, -2.3, 0.6, 1.4, -1.6, 0.2, -0.1, 0.8, 1.9, -0.6,
      2.5, -1.0, 1.2, 0.4, -1.9,
    ],
  };
  for (const op of ['ReduceMax', 'ReduceMin'] as const) {
    describe(op, () => {
      for (const keepdims of [0, 1]) {
        it(`axis -2, keepdims ${keepdims}`, () =>
          expectGradOk(
            gradCheck({
              inputs: { a: x([2, 3, 4], spaced) },
              build: (b, i) => b.op(op, [i.a!], { axes: [-2], keepdims }),
            }),
          ));
      }
      it('axes [0, 2] of an intermediate tensor', () =>
        expectGradOk(
          gradCheck({
            inputs: { a: x([2, 3, 4], spaced) },
            build: (b, i) => b.op(op, [b.op('Neg', [i.a!])], { axes: [0, 2], keepdims: 0 }),
          }),
        ));
      it('all axes', () =>
        expectGradOk(
          gradCheck({ inputs: { a: x([4, 6], spaced) }, build: (b, i) => b.op(op, [i.a!], { keepdims: 0 }) }),
        ));
      // A two-way tie: central differences see max(a + e, a) - max(a - e, a) = e, i.e. 1/2 each.
      it('splits a two-way tie in half, which is what central differences measure', async () => {
        const tied = op === 'ReduceMax' ? [1, 3, 3, 0, 2, -1, 2, 0.5] : [1, -3, -3, 0, -2, 1, -2, -0.5];
        const report = await gradCheck({
          inputs: { a: x([2, 4], { values: tied }) },
          build: (b, i) => b.op(op, [i.a!], { axes: [1], keepdims: 1 }),
        });
        for (const w of Object.values(report.worst)) expect(w).toBeLessThanOrEqual(1);
        const a = report.analytic.a!;
        expect(a[1]).toBeCloseTo(a[2]!, 6);
        expect(a[4]).toBeCloseTo(a[6]!, 6);
        for (const k of [0, 3, 5, 7]) expect(a[k]).toBeCloseTo(0, 9);
      });
      it('splits a three-way tie in thirds (PyTorch amax/amin)', async () => {
        const tied = op === 'ReduceMax' ? [2, 2, -1, 2] : [-2, -2, 1, -2];
        const report = await gradCheck({
          inputs: { a: x([4], { values: tied }) },
          build: (b, i) => b.op(op, [i.a!], { keepdims: 0 }),
          maxElements: 0,
        });
        // The loss is out * r for one random r, so each tied element gets r / 3.
        const a = report.analytic.a!;
        expect(a[0]).toBeCloseTo(a[1]!, 6);
        expect(a[0]).toBeCloseTo(a[3]!, 6);
        expect(a[2]).toBeCloseTo(0, 9);
        expect(Math.abs(a[0]!)).toBeGreaterThan(1e-3);
      });
    });
  }
});
