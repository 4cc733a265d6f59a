import { intAttr, intsAttr, stringAttr, type AttrInput } from '../../builder/attributes.ts';
import { DataType } from '../../onnx/ir.ts';
import type { GradContext, GradRuleTable } from '../grad-context.ts';
import { GradientSpecError } from '../errors.ts';

const END = Number.MAX_SAFE_INTEGER;
const product = (xs: readonly number[]): number => xs.reduce((p, v) => p * v, 1);
const range = (from: number, to: number): number[] =>
  Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);

/** Window geometry of a pooling node, with auto_pad resolved to explicit begin/end pads. */
interface PoolGeometry {
  kernel: number[];
  strides: number[];
  padsBegin: number[];
  padsEnd: number[];
}

function poolGeometry(ctx: GradContext): PoolGeometry {
  const { node } = ctx;
  const kernel = intsAttr(node.attributes, 'kernel_shape');
  if (!kernel) throw new GradientSpecError(`${node.opType} '${node.name}' has no kernel_shape`);
  const n = kernel.length;
  const strides = intsAttr(node.attributes, 'strides') ?? Array<number>(n).fill(1);
  if ((intsAttr(node.attributes, 'dilations') ?? []).some((d) => d !== 1)) {
    throw new GradientSpecError(
      `${node.opType} '${node.name}': dilated average pooling is not differentiated`,
    );
  }
  const pads = intsAttr(node.attributes, 'pads') ?? Array<number>(2 * n).fill(0);
  const autoPad = stringAttr(node.attributes, 'auto_pad', 'NOTSET');
  if (autoPad === 'NOTSET') return { kernel, strides, padsBegin: pads.slice(0, n), padsEnd: pads.slice(n) };
  if (autoPad === 'VALID')
    return { kernel, strides, padsBegin: Array<number>(n).fill(0), padsEnd: Array<number>(n).fill(0) };
  if (autoPad !== 'SAME_UPPER' && autoPad !== 'SAME_LOWER') {
    throw new GradientSpecError(`${node.opType} '${node.name}': unknown auto_pad '${autoPad}'`);
  }
  const shape = ctx.staticShape(node.inputs[0]!);
  if (!shape)
    throw new GradientSpecError(
      `${node.opType} '${node.name}': auto_pad=${autoPad} needs the input's static shape`,
    );
  const padsBegin: number[] = [];
  const padsEnd: number[] = [];
  kernel.forEach((k, i) => {
    const len = shape[i + 2]!;
    const s = strides[i]!;
    // The output keeps ceil(len / stride) positions; the padding that needs is split, the odd one at the end (UPPER) or start (LOWER).
    const needed = (Math.ceil(len / s) - 1) * s + k - len;
    if (needed < 0)
      throw new GradientSpecError(
        `${node.opType} '${node.name}': auto_pad=${autoPad} with stride > kernel is not differentiated`,
      );
    const head = autoPad === 'SAME_UPPER' ? Math.floor(needed / 2) : Math.ceil(needed / 2);
    padsBegin.push(head);
    padsEnd.push(needed - head);
  });
  return { kernel, strides, padsBegin, padsEnd };
}

/** One spatial axis of a pooling window: kernel, stride, begin/end pads, and whether pads count. */
interface AxisWindow {
  k: number;
  s: number;
  pb: number;
  pe: number;
  includePad: boolean;
}

/**
 * The element count each output window of one spatial axis divides by, as onnxruntime computes
 * it: windows are clipped to the padded extent (ceil_mode can run past it), and with
 * count_include_pad=0 further to the input itself. Never below 1 (an all-padding window has no
 * inputs to send gradient to anyway).
 */
function divisorValues(len: number, outLen: number, { k, s, pb, pe, includePad }: AxisWindow): number[] {
  return range(0, outLen).map((j) => {
    const start = j * s - pb;
    const end = Math.min(start + k, len + pe);
    return Math.max(1, includePad ? end - start : Math.min(end, len) - Math.max(start, 0));
  });
}

/** The same divisors built in the graph, for a run-time input length and output length (int64 scalars). */
function divisorTensor(
  ctx: GradContext,
  len: string,
  outLen: string,
  { k, s, pb, pe, includePad }: AxisWindow,
): string {
  const { b } = ctx;
  const i64 = (v: number): string => b.constI64([v], []);
  const starts = b.op('Sub', [b.op('Mul', [b.op('Range', [i64(0), outLen, i64(1)]), i64(s)]), i64(pb)]);
  const ends = b.op('Min', [b.op('Add', [starts, i64(k)]), b.op('Add', [len, i64(pe)])]);
  const counts = includePad
    ? b.op('Sub', [ends, starts])
    : b.op('Sub', [b.op('Min', [ends, len]), b.op('Max', [starts, i64(0)])]);
  return b.op('Cast', [b.op('Max', [counts, i64(1)])], { to: DataType.FLOAT });
}

/**
 * The transpose of a sum over windows: every output gradient is spread over its window. N and C
 * are folded together so one single-channel ones kernel serves every channel; ConvTranspose
 * without pads yields padded coordinates [-padBegin, (out-1)*stride + kernel - padBegin), of which
 * [0, len) is kept, zero-filled where no window reached (floor mode can leave a tail uncovered).
 */
function spreadOverWindows(ctx: GradContext, g: string, geo: PoolGeometry): string {
  const { b, node } = ctx;
  const [x, y] = [node.inputs[0]!, node.outputs[0]!];
  const { kernel, strides, padsBegin } = geo;
  const n = kernel.length;
  const spatial = range(2, n + 2);
  const xs = ctx.staticShape(x);
  const ys = ctx.staticShape(y);
  const ones = b.constF(new Float32Array(product(kernel)).fill(1), [1, 1, ...kernel]);

  if (xs && ys) {
    const g1 = b.op('Reshape', [g, b.constI64([-1, 1, ...ys.slice(2)])]);
    const full = b.op('ConvTranspose', [g1, ones], { kernel_shape: kernel, strides });
    const fullLen = kernel.map((k, i) => (ys[i + 2]! - 1) * strides[i]! + k);
    const ends = kernel.map((_, i) => Math.min(padsBegin[i]! + xs[i + 2]!, fullLen[i]!));
    const sliced =
      padsBegin.some((p) => p > 0) || ends.some((e, i) => e < fullLen[i]!)
        ? b.op('Slice', [full, b.constI64(padsBegin), b.constI64(ends), b.constI64(spatial)])
        : full;
    const tail = kernel.map((_, i) => xs[i + 2]! - (ends[i]! - padsBegin[i]!));
    const padded = tail.some((t) => t > 0)
      ? b.op('Pad', [sliced, b.constI64([...Array<number>(n + 4).fill(0), ...tail])])
      : sliced;
    return b.op('Reshape', [padded, b.constI64(xs)]);
  }

  const spatialOf = (shape: string): string => b.op('Slice', [shape, b.constI64([2]), b.constI64([END])]);
  const inLens = spatialOf(ctx.shapeOf(x));
  const g1 = b.op('Reshape', [
    g,
    b.op('Concat', [b.constI64([-1, 1]), spatialOf(ctx.shapeOf(y))], { axis: 0 }),
  ]);
  const full = b.op('ConvTranspose', [g1, ones], { kernel_shape: kernel, strides });
  const begin = b.constI64(padsBegin);
  const sliced = b.op('Slice', [full, begin, b.op('Add', [begin, inLens]), b.constI64(spatial)]);
  const tail = b.op('Sub', [inLens, spatialOf(b.op('Shape', [sliced]))]);
  const padded = b.op('Pad', [
    sliced,
    b.op('Concat', [b.constI64(Array<number>(n + 4).fill(0)), tail], { axis: 0 }),
  ]);
  return b.op('Reshape', [padded, ctx.shapeOf(x)]);
}

export const poolRules: GradRuleTable = {
  /** Linear: divide by each window's divisor, then spread back over the window. */
  AveragePool: (ctx, [g]) => {
    if (!g || !ctx.needs[0]) return [null];
    const { b, node } = ctx;
    const geo = poolGeometry(ctx);
    const { kernel, strides, padsBegin, padsEnd } = geo;
    const includePad = intAttr(node.attributes, 'count_include_pad', 0) !== 0;
    const ceilMode = intAttr(node.attributes, 'ceil_mode', 0) !== 0;
    const unpadded = padsBegin.every((p) => p === 0) && padsEnd.every((p) => p === 0);
    // Floor-mode windows never leave the padded extent, so the divisor is the kernel size unless
    // padding is excluded from it.
    if (!ceilMode && (includePad || unpadded)) {
      return [spreadOverWindows(ctx, b.op('Div', [g, b.scalarF(product(kernel))]), geo)];
    }
    const [x, y] = [node.inputs[0]!, node.outputs[0]!];
    const xs = ctx.staticShape(x);
    const ys = ctx.staticShape(y);
    let scaled = g;
    kernel.forEach((k, i) => {
      const trailing = Array<number>(kernel.length - 1 - i).fill(1);
      const w: AxisWindow = { k, s: strides[i]!, pb: padsBegin[i]!, pe: padsEnd[i]!, includePad };
      let divisor: string;
      if (xs && ys) {
        const outLen = ys[i + 2]!;
        divisor = b.constF(divisorValues(xs[i + 2]!, outLen, w), [outLen, ...trailing]);
      } else {
        const dim = (t: string): string => b.op('Gather', [ctx.shapeOf(t), b.constI64([i + 2], [])]);
        divisor = b.op('Reshape', [divisorTensor(ctx, dim(x), dim(y), w), b.constI64([-1, ...trailing])]);
      }
      scaled = b.op('Div', [scaled, divisor]);
    });
    return [spreadOverWindows(ctx, scaled, geo)];
  },

  /**
   * The gradient goes to the selected element of each window (its flat index over the whole
   * input, from MaxPool's Indices output), summed where overlapping windows chose the same one.
   * A forward node without Indices (or with column-major ones) gets a twin MaxPool that emits them.
   */
  MaxPool: (ctx, [g]) => {
    if (!g || !ctx.needs[0]) return [null];
    const { b, node } = ctx;
    if (ctx.opset < 16) {
      throw new GradientSpecError(
        `MaxPool '${node.name}': the gradient scatter-adds (ScatterElements reduction), which needs opset 16+, not ${ctx.opset}`,
      );
    }
    const x = node.inputs[0]!;
    let indices = node.outputs[1];
    if (!indices || intAttr(node.attributes, 'storage_order', 0) !== 0) {
      const attrs: Record<string, AttrInput> = { ...node.attributes };
      delete attrs.storage_order;
      indices = b.node('MaxPool', [x], attrs, 2)[1]!;
    }
    const xs = ctx.staticShape(x);
    const numel = xs ? b.constI64([product(xs)]) : b.op('Reshape', [b.op('Size', [x]), b.constI64([1])]);
    const flat = b.op(
      'ScatterElements',
      [
        b.op('ConstantOfShape', [numel]),
        b.op('Reshape', [indices, b.constI64([-1])]),
        b.op('Reshape', [g, b.constI64([-1])]),
      ],
      { axis: 0, reduction: 'add' },
    );
    return [b.op('Reshape', [flat, xs ? b.constI64(xs) : ctx.shapeOf(x)])];
  },

  GlobalAveragePool: (ctx, [g]) => {
    if (!g || !ctx.needs[0]) return [null];
    const { b, node } = ctx;
    const x = node.inputs[0]!;
    const xs = ctx.staticShape(x);
    const count = xs
      ? b.scalarF(product(xs.slice(2)))
      : b.op(
          'ReduceProd',
          [
            b.op('Cast', [b.op('Slice', [ctx.shapeOf(x), b.constI64([2]), b.constI64([END])])], {
              to: DataType.FLOAT,
            }),
          ],
          {
            keepdims: 0,
          },
        );
    return [b.op('Expand', [b.op('Div', [g, count]), xs ? b.constI64(xs) : ctx.shapeOf(x)])];
  },
};
