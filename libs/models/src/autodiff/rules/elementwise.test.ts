import { describe, it } from 'vitest';
import { float } from '../../builder/attributes.ts';
import { gradCheck } from '../../testing/gradcheck.ts';
import { expectGradOk, input } from '../../testing/expect-grad.ts';

const x = input;

describe('elementwise gradient rules (finite differences in onnxruntime)', () => {
  it('Add broadcasts on both sides', () =>
    expectGradOk(
      gradCheck({ inputs: { a: x([3, 1, 4]), b: x([2, 1]) }, build: (b, i) => b.op('Add', [i.a!, i.b!]) }),
    ));
  it('Sub with a scalar', () =>
    expectGradOk(
      gradCheck({ inputs: { a: x([]), b: x([2, 3]) }, build: (b, i) => b.op('Sub', [i.a!, i.b!]) }),
    ));
  it('Mul broadcasts on both sides', () =>
    expectGradOk(
      gradCheck({ inputs: { a: x([2, 1, 3]), b: x([4, 1]) }, build: (b, i) => b.op('Mul', [i.a!, i.b!]) }),
    ));
  it('Div', () =>
    expectGradOk(
      gradCheck({
        inputs: { a: x([2, 3]), b: x([3], 'positive') },
        build: (b, i) => b.op('Div', [i.a!, i.b!]),
      }),
    ));
  it('Pow with both base and exponent', () =>
    expectGradOk(
      gradCheck({
        inputs: { a: x([2, 3], 'positive'), p: x([1, 3], 'unit') },
        build: (b, i) => b.op('Pow', [i.a!, i.p!]),
      }),
    ));
  it('Sum of three with fan-out', () =>
    expectGradOk(
      gradCheck({ inputs: { a: x([2, 3]), b: x([3]) }, build: (b, i) => b.op('Sum', [i.a!, i.b!, i.a!]) }),
    ));
  for (const op of ['Neg', 'Exp', 'Tanh', 'Sigmoid', 'Erf', 'Identity'] as const) {
    it(op, () => expectGradOk(gradCheck({ inputs: { a: x([3, 4]) }, build: (b, i) => b.op(op, [i.a!]) })));
  }
  for (const op of ['Log', 'Sqrt', 'Reciprocal'] as const) {
    it(`${op} on its domain`, () =>
      expectGradOk(gradCheck({ inputs: { a: x([3, 4], 'positive') }, build: (b, i) => b.op(op, [i.a!]) })));
  }
  // Kinks are kept away from 0 so central differences do not straddle them.
  const awayFromZero = { values: [-2, -1.1, -0.5, -0.2, 0.3, 0.7, 1.4, 2.5] };
  it('Relu', () =>
    expectGradOk(
      gradCheck({ inputs: { a: x([2, 4], awayFromZero) }, build: (b, i) => b.op('Relu', [i.a!]) }),
    ));
  it('Abs', () =>
    expectGradOk(
      gradCheck({ inputs: { a: x([2, 4], awayFromZero) }, build: (b, i) => b.op('Abs', [i.a!]) }),
    ));
  it('LeakyRelu with alpha 0.2', () =>
    expectGradOk(
      gradCheck({
        inputs: { a: x([2, 4], awayFromZero) },
        build: (b, i) => b.op('LeakyRelu', [i.a!], { alpha: float(0.2) }),
      }),
    ));
  it('a chain reusing one tensor many times', () =>
    expectGradOk(
      gradCheck({
        inputs: { a: x([5]) },
        build: (b, i) => b.op('Mul', [b.op('Tanh', [b.op('Mul', [i.a!, i.a!])]), b.op('Exp', [i.a!])]),
      }),
    ));
});
