import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../builder/graph-builder.ts';
import { DataType } from '../../onnx/ir.ts';
import { gradCheck, type GradCheckInput } from '../../testing/gradcheck.ts';
import { expectGradOk, input } from '../../testing/expect-grad.ts';
import { buildGradientGraph } from '../backward.ts';
import { GradientSpecError, NoGradientRuleError } from '../errors.ts';

const x = input;
const ints = (values: number[], shape: number[] = [values.length]): GradCheckInput => ({
  shape,
  gen: { int64: values },
  constant: true,
});

describe('shape and data-movement gradient rules (finite differences in onnxruntime)', () => {
  describe('Reshape family', () => {
    it('Reshape with -1 and 0 in the target (static input shape)', () =>
      expectGradOk(
        gradCheck({
          inputs: { a: x([2, 3, 4]) },
          build: (b, i) => b.op('Reshape', [i.a!, b.constI64([0, -1, 2])]),
        }),
      ));
    it('Reshape of an intermediate tensor with the target as a graph input', () =>
      expectGradOk(
        gradCheck({
          inputs: { a: x([2, 3, 4]), s: ints([4, 0, -1]) },
          build: (b, i) => b.op('Reshape', [b.op('Tanh', [i.a!]), i.s!]),
        }),
      ));
    for (const axis of [0, 2, -1]) {
      it(`Flatten axis ${axis}`, () =>
        expectGradOk(
          gradCheck({
            inputs: { a: x([2, 3, 4]) },
            build: (b, i) => b.op('Flatten', [b.op('Exp', [i.a!])], { axis }),
          }),
        ));
    }
    it('Squeeze with negative axes from an input', () =>
      expectGradOk(
        gradCheck({
          inputs: { a: x([2, 1, 3, 1]), ax: ints([-1, 1]) },
          build: (b, i) => b.op('Squeeze', [i.a!, i.ax!]),
        }),
      ));
    it('Squeeze with no axes', () =>
      expectGradOk(
        gradCheck({ inputs: { a: x([1, 3, 1]) }, build: (b, i) => b.op('Squeeze', [b.op('Tanh', [i.a!])]) }),
      ));
    it('Unsqueeze with negative axes', () =>
      expectGradOk(
        gradCheck({
          inputs: { a: x([2, 3]) },
          build: (b, i) => b.op('Unsqueeze', [i.a!, b.constI64([-1, 0])]),
        }),
      ));
  });

  describe('Transpose', () => {
    it('perm [2, 0, 1]', () =>
      expectGradOk(
        gradCheck({
          inputs: { a: x([2, 3, 4]) },
          build: (b, i) => b.op('Transpose', [i.a!], { perm: [2, 0, 1] }),
        }),
      ));
    it('perm [1, 3, 0, 2] (not an involution)', () =>
      expectGradOk(
        gradCheck({
          inputs: { a: x([2, 3, 4, 5]) },
          build: (b, i) => b.op('Transpose', [i.a!], { perm: [1, 3, 0, 2] }),
        }),
      ));
    it('default perm reverses the axes', () =>
      expectGradOk(
        gradCheck({
          inputs: { a: x([2, 3, 4]) },
          build: (b, i) => b.op('Transpose', [b.op('Tanh', [i.a!])]),
        }),
      ));
  });

  describe('Concat', () => {
    it('three inputs on axis -2, one repeated (static shapes)', () =>
      expectGradOk(
        gradCheck({
          inputs: { a: x([2, 3, 4]), c: x([2, 1, 4]) },
          build: (b, i) => b.op('Concat', [i.a!, i.c!, i.a!], { axis: -2 }),
        }),
      ));
    it('three inputs of intermediate tensors (run-time sizes)', () =>
      expectGradOk(
        gradCheck({
          inputs: { a: x([2, 3]), c: x([2, 5]) },
          build: (b, i) =>
            b.op('Concat', [b.op('Tanh', [i.a!]), b.op('Exp', [i.c!]), b.op('Neg', [i.a!])], { axis: 1 }),
        }),
      ));
    it('only the inputs that need a gradient get one', () =>
      expectGradOk(
        gradCheck({
          inputs: { a: x([3, 2]), k: { ...x([1, 2]), constant: true } },
          build: (b, i) => b.op('Concat', [i.k!, i.a!, i.k!], { axis: 0 }),
        }),
      ));
  });

  describe('Split', () => {
    it('sizes input on axis -1, middle output unused (its gradient is zeros)', () =>
      expectGradOk(
        gradCheck({
          inputs: { a: x([2, 6]) },
          build: (b, i) => {
            const [p, , r] = b.node('Split', [i.a!, b.constI64([1, 3, 2])], { axis: -1 }, 3) as [
              string,
              string,
              string,
            ];
            return [b.op('Tanh', [p]), r];
          },
        }),
      ));
    it('default equal split of an intermediate tensor, last output unused', () =>
      expectGradOk(
        gradCheck({
          inputs: { a: x([4, 3, 2]) },
          build: (b, i) => {
            const [p, q] = b.node('Split', [b.op('Exp', [i.a!])], { axis: 0 }, 4) as [string, string];
            return b.op('Mul', [p, q]);
          },
        }),
      ));
  });

  describe('Slice', () => {
    it('unit steps, negative start and out-of-range end (static: a Pad)', async () => {
      const report = gradCheck({
        inputs: { a: x([4, 5, 6]) },
        build: (b, i) =>
          b.op('Slice', [i.a!, b.constI64([-3, 1]), b.constI64([100, -1]), b.constI64([2, 0])]),
      });
      await expectGradOk(report);
      expect((await report).backwardOps).toContain('Pad');
    });
    it('step 2 with axes and steps inputs', () =>
      expectGradOk(
        gradCheck({
          inputs: { a: x([5, 7]) },
          build: (b, i) =>
            b.op('Slice', [
              i.a!,
              b.constI64([1, 0]),
              b.constI64([7, 5]),
              b.constI64([1, 0]),
              b.constI64([2, 3]),
            ]),
        }),
      ));
    it('negative steps with out-of-range starts and ends', () =>
      expectGradOk(
        gradCheck({
          inputs: { a: x([5, 6]) },
          build: (b, i) =>
            b.op('Slice', [
              i.a!,
              b.constI64([100, -2]),
              b.constI64([-100, 0]),
              b.constI64([-1, 0]),
              b.constI64([-2, -1]),
            ]),
        }),
      ));
    it('parameters as graph inputs on an intermediate tensor', () =>
      expectGradOk(
        gradCheck({
          inputs: {
            a: x([3, 4, 5]),
            st: ints([-1, 0]),
            en: ints([0, 4]),
            ax: ints([-1, 1]),
            sp: ints([-3, 2]),
          },
          build: (b, i) => b.op('Slice', [b.op('Tanh', [i.a!]), i.st!, i.en!, i.ax!, i.sp!]),
        }),
      ));
    it('an empty slice gives a zero gradient', async () => {
      const report = await gradCheck({
        inputs: { a: x([3, 4]) },
        build: (b, i) =>
          b.op('Concat', [b.op('Slice', [i.a!, b.constI64([3]), b.constI64([1]), b.constI64([1])]), i.a!], {
            axis: 1,
          }),
      });
      for (const w of Object.values(report.worst)) expect(w).toBeLessThanOrEqual(1);
    });
  });

  describe('Gather', () => {
    it('axis -1 with repeated and negative 2-D indices (accumulates)', () =>
      expectGradOk(
        gradCheck({
          inputs: { a: x([2, 3, 5]), idx: ints([4, -1, 0, 2, 0, 0], [2, 3]) },
          build: (b, i) => b.op('Gather', [i.a!, i.idx!], { axis: -1 }),
        }),
      ));
    it('axis 1 of an intermediate tensor (run-time shape)', () =>
      expectGradOk(
        gradCheck({
          inputs: { a: x([2, 4, 3]), idx: ints([3, -4, 3, 1]) },
          build: (b, i) => b.op('Gather', [b.op('Tanh', [i.a!]), i.idx!], { axis: 1 }),
        }),
      ));
    it('axis -2 of an intermediate tensor with int32 indices', () =>
      expectGradOk(
        gradCheck({
          inputs: {
            a: x([3, 4, 2]),
            idx: ints(
              [
                [-1, 0],
                [0, 2],
              ].flat(),
              [2, 2],
            ),
          },
          build: (b, i) =>
            b.op('Gather', [b.op('Exp', [i.a!]), b.op('Cast', [i.idx!], { to: DataType.INT32 })], {
              axis: -2,
            }),
        }),
      ));
    it('axis -1 of an intermediate tensor (nothing after the axis)', () =>
      expectGradOk(
        gradCheck({
          inputs: { a: x([2, 3, 4]), idx: ints([3, 3, -1, 0, 1], [5]) },
          build: (b, i) => b.op('Gather', [b.op('Tanh', [i.a!]), i.idx!], { axis: -1 }),
        }),
      ));
    it('a scalar index on axis 0', () =>
      expectGradOk(
        gradCheck({
          inputs: { a: x([3, 4]), idx: ints([-2], []) },
          build: (b, i) => b.op('Gather', [i.a!, i.idx!]),
        }),
      ));
    it('an embedding lookup: indices repeated on axis 0', () =>
      expectGradOk(
        gradCheck({
          inputs: { a: x([5, 3]), idx: ints([1, 1, 4, 1, 0], [5]) },
          build: (b, i) => b.op('Gather', [b.op('Neg', [i.a!]), i.idx!]),
        }),
      ));
  });

  describe('Expand', () => {
    it('broadcasts a middle and a leading axis', () =>
      expectGradOk(
        gradCheck({
          inputs: { a: x([3, 1]) },
          build: (b, i) => b.op('Expand', [i.a!, b.constI64([2, 3, 4])]),
        }),
      ));
    it('a target shape smaller than the input (the output keeps the input dims)', () =>
      expectGradOk(
        gradCheck({
          inputs: { a: x([2, 1, 4]) },
          build: (b, i) => b.op('Expand', [b.op('Tanh', [i.a!]), b.constI64([3, 1])]),
        }),
      ));
  });

  describe('Pad', () => {
    it('constant mode, asymmetric and negative (cropping) pads, gradient to the pad value', () =>
      expectGradOk(
        gradCheck({
          inputs: { a: x([2, 3, 4]), v: x([]) },
          build: (b, i) => b.op('Pad', [i.a!, b.constI64([0, 2, -1, 1, 0, 3]), i.v!], { mode: 'constant' }),
        }),
      ));
    it('constant mode with pads from a graph input, default value', () =>
      expectGradOk(
        gradCheck({
          inputs: { a: x([3, 4]), p: ints([1, -1, 2, 3]) },
          build: (b, i) => b.op('Pad', [b.op('Exp', [i.a!]), i.p!]),
        }),
      ));
    for (const mode of ['edge', 'reflect'] as const) {
      it(`${mode} mode, asymmetric pads on two axes (static)`, () =>
        expectGradOk(
          gradCheck({
            inputs: { a: x([2, 4, 5]) },
            build: (b, i) => b.op('Pad', [i.a!, b.constI64([0, 2, 1, 0, 3, 4])], { mode }),
          }),
        ));
      it(`${mode} mode on an intermediate tensor with pads from a graph input`, () =>
        expectGradOk(
          gradCheck({
            inputs: { a: x([3, 4]), p: ints([2, 0, 1, 3]) },
            build: (b, i) => b.op('Pad', [b.op('Tanh', [i.a!]), i.p!], { mode }),
          }),
        ));
    }
    it('edge mode with pads wider than the input', () =>
      expectGradOk(
        gradCheck({
          inputs: { a: x([2, 3]) },
          build: (b, i) => b.op('Pad', [i.a!, b.constI64([0, 5, 1, 4])], { mode: 'edge' }),
        }),
      ));
    it('rejects a mode it has no rule for, naming it', () => {
      const b = new GraphBuilder('g');
      const a = b.input('a', [2, 3]);
      const y = b.op('Pad', [a, b.constI64([0, 1, 0, 1])], { mode: 'wrap' });
      const loss = b.op('ReduceSum', [y], { keepdims: 0 });
      b.output(loss);
      expect(() => buildGradientGraph(b.model(), { loss, wrt: [a] })).toThrow(GradientSpecError);
      expect(() => buildGradientGraph(b.model(), { loss, wrt: [a] })).toThrow(/'wrap'/);
    });
  });

  describe('Where', () => {
    // The session cannot feed bool tensors (a Uint8Array goes in as uint8), so the mask is made in the graph.
    const cond = { shape: [2, 1, 3], gen: { values: [1, -1, 1, -1, -1, 1] }, constant: true };
    const mask = (b: GraphBuilder, c: string) => b.op('Greater', [c, b.scalarF(0)]);
    it('broadcasts the condition and both branches', () =>
      expectGradOk(
        gradCheck({
          inputs: { c: cond, p: x([4, 1]), q: x([3]) },
          build: (b, i) => b.op('Where', [mask(b, i.c!), i.p!, i.q!]),
        }),
      ));
    it('a scalar branch', () =>
      expectGradOk(
        gradCheck({
          inputs: { c: cond, p: x([2, 4, 3]), q: x([]) },
          build: (b, i) => b.op('Where', [mask(b, i.c!), i.p!, i.q!]),
        }),
      ));
  });

  describe('Clip', () => {
    // At least 0.05 from both bounds, so the FD step never crosses one.
    const spread = { values: [-1.5, -0.7, -0.3, 0.1, 0.2, 0.65, 0.9, 1.3, -0.1, 0.45, 2.0, -0.56] };
    it('min and max as differentiable inputs', () =>
      expectGradOk(
        gradCheck({
          inputs: { a: x([3, 4], spread), lo: x([], { values: [-0.5] }), hi: x([], { values: [0.6] }) },
          build: (b, i) => b.op('Clip', [i.a!, i.lo!, i.hi!]),
        }),
      ));
    it('max only', () =>
      expectGradOk(
        gradCheck({
          inputs: { a: x([3, 4], spread), hi: x([], { values: [0.3] }) },
          build: (b, i) => b.op('Clip', [i.a!, '', i.hi!]),
        }),
      ));
    it('min only, constant', () =>
      expectGradOk(
        gradCheck({ inputs: { a: x([3, 4], spread) }, build: (b, i) => b.op('Clip', [i.a!, b.scalarF(0)]) }),
      ));
    it('no bounds', () =>
      expectGradOk(gradCheck({ inputs: { a: x([3, 4]) }, build: (b, i) => b.op('Clip', [i.a!]) })));
    it('min above max: everything is max, and only max gets a gradient', () =>
      expectGradOk(
        gradCheck({
          inputs: { a: x([3, 4], spread), lo: x([], { values: [0.5] }), hi: x([], { values: [-0.25] }) },
          build: (b, i) => b.op('Clip', [i.a!, i.lo!, i.hi!]),
        }),
      ));
  });

  it('Cast float -> double -> float', () =>
    expectGradOk(
      gradCheck({
        inputs: { a: x([3, 4]) },
        build: (b, i) => {
          const d = b.op('Cast', [i.a!], { to: DataType.DOUBLE });
          return b.op('Cast', [b.op('Mul', [d, d])], { to: DataType.FLOAT });
        },
      }),
    ));

  describe('element-wise Max and Min', () => {
    for (const op of ['Max', 'Min'] as const) {
      it(`${op} of three broadcasting inputs`, () =>
        expectGradOk(
          gradCheck({
            inputs: { a: x([2, 1, 4]), c: x([3, 1]), d: x([4]) },
            build: (b, i) => b.op(op, [i.a!, i.c!, i.d!]),
          }),
        ));
      it(`${op} with a repeated input splits the tie`, () =>
        expectGradOk(
          gradCheck({ inputs: { a: x([3, 4]), c: x([4]) }, build: (b, i) => b.op(op, [i.a!, i.c!, i.a!]) }),
        ));
      it(`${op} of one input`, () =>
        expectGradOk(gradCheck({ inputs: { a: x([5]) }, build: (b, i) => b.op(op, [i.a!]) })));
    }
  });

  describe('non-differentiable parts and missing rules', () => {
    it('a Reshape target built by Shape -> Gather -> Concat differentiates through the data only', async () => {
      const report = gradCheck({
        inputs: { a: x([2, 3, 4]) },
        build: (b, i) => {
          const t = b.op('Tanh', [i.a!]);
          const lead = b.op('Gather', [b.op('Shape', [t]), b.constI64([0])]);
          const target = b.op('Concat', [lead, b.constI64([-1])], { axis: 0 });
          return b.op('Reshape', [t, target]);
        },
      });
      await expectGradOk(report);
    });

    it('an op without a rule on the path raises NoGradientRuleError naming the op and node', () => {
      const b = new GraphBuilder('g');
      const a = b.input('a', [2, 3]);
      const h = b.op('Hardmax', [b.op('Tanh', [a])], { axis: -1 });
      const node = b.graph.nodes.find((n) => n.opType === 'Hardmax')!;
      const loss = b.op('ReduceSum', [h], { keepdims: 0 });
      b.output(loss);
      let err: unknown;
      try {
        buildGradientGraph(b.model(), { loss, wrt: [a] });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(NoGradientRuleError);
      expect((err as NoGradientRuleError).opType).toBe('Hardmax');
      expect((err as NoGradientRuleError).nodeName).toBe(node.name);
      expect((err as Error).message).toContain(`'${node.name}'`);
    });
  });
});
