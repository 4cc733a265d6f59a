import { intAttr, intsAttr, stringAttr } from '../../builder/attributes.ts';
import { firstInputOnly, type GradContext, type GradRuleTable } from '../grad-context.ts';
import { GradientSpecError } from '../errors.ts';

/**
 * Resize (nearest and linear) is linear in X and separable: along each resized axis the output is
 * A X with A an [out, in] interpolation matrix that depends only on the static shapes and the
 * attributes. The matrices are built here, following onnxruntime's CPU kernel in float32
 * arithmetic, and the gradient applies their transposes with MatMul.
 */

const f32 = Math.fround;

type CoordinateMode = (x: number, scale: number, outLen: number, inLen: number) => number;

/** Output coordinate -> input coordinate, per coordinate_transformation_mode, in float32 like the kernel. */
const COORDINATE_MODES: Record<string, CoordinateMode> = {
  half_pixel: (x, scale) => f32(f32(f32(x + 0.5) / scale) - 0.5),
  pytorch_half_pixel: (x, scale, outLen) => (outLen > 1 ? f32(f32(f32(x + 0.5) / scale) - 0.5) : 0),
  align_corners: (x, _scale, outLen, inLen) => (outLen === 1 ? 0 : f32(f32(x * (inLen - 1)) / (outLen - 1))),
  asymmetric: (x, scale) => f32(x / scale),
  tf_half_pixel_for_nn: (x, scale) => f32(f32(x + 0.5) / scale),
};

/** C's round(): halves away from zero. */
const roundHalfAway = (v: number): number => Math.sign(v) * Math.floor(Math.abs(v) + 0.5);

const NEAREST_MODES: Record<string, (v: number) => number> = {
  round_prefer_floor: (v) => (v === Math.trunc(v) + 0.5 ? Math.floor(v) : roundHalfAway(v)),
  round_prefer_ceil: roundHalfAway,
  floor: Math.floor,
  ceil: Math.ceil,
};

export interface AxisInterpolation {
  mode: 'nearest' | 'linear';
  coordinateMode: string;
  nearestMode: string;
  inLen: number;
  outLen: number;
  /** The float32 scale the kernel uses (out/in when sizes are given). */
  scale: number;
}

/** The [outLen, inLen] matrix one axis of a nearest or linear Resize applies. */
export function interpolationMatrix(spec: AxisInterpolation): Float32Array {
  const { mode, inLen, outLen, scale } = spec;
  const coordinate = COORDINATE_MODES[spec.coordinateMode];
  const nearest = NEAREST_MODES[spec.nearestMode];
  if (!coordinate || !nearest)
    throw new GradientSpecError(`unknown Resize mode ${spec.coordinateMode}/${spec.nearestMode}`);
  const a = new Float32Array(outLen * inLen);
  for (let o = 0; o < outLen; o++) {
    const orig = coordinate(o, scale, outLen, inLen);
    if (mode === 'nearest') {
      a[o * inLen + Math.min(Math.max(nearest(orig), 0), inLen - 1)] = 1;
      continue;
    }
    // Linear: clamp into [0, in-1], blend the two neighbours; at the edge both are the same pixel.
    const c = Math.max(0, Math.min(orig, inLen - 1));
    const lo = Math.min(Math.trunc(c), inLen - 1);
    const hi = Math.min(lo + 1, inLen - 1);
    if (lo === hi) {
      a[o * inLen + lo] = 1;
    } else {
      a[o * inLen + lo] = f32(Math.abs(c - hi));
      a[o * inLen + hi] = f32(Math.abs(c - lo));
    }
  }
  return a;
}

/** Values of a constant tensor: an initializer or a Constant node's output. */
function constantValues(ctx: GradContext, name: string | undefined): number[] | undefined {
  if (!name) return undefined;
  const init = ctx.b.findInitializer(name);
  if (init) return Array.from(init.data, Number);
  const producer = ctx.b.graph.nodes.find((n) => n.opType === 'Constant' && n.outputs[0] === name);
  const v =
    producer?.attributes.value ?? producer?.attributes.value_floats ?? producer?.attributes.value_ints;
  if (!v) return undefined;
  if (v.type === 'tensor') return Array.from(v.value.data, Number);
  if (v.type === 'floats' || v.type === 'ints') return v.value;
  return undefined;
}

/** Per-axis output lengths and float32 scales, as the kernel derives them from `scales` or `sizes`. */
function resizeGeometry(
  ctx: GradContext,
  inDims: readonly number[],
): { outDims: number[]; scales: number[] } {
  const { node } = ctx;
  const scales = constantValues(ctx, node.inputs[2]);
  if (scales && scales.length > 0) {
    if (scales.length !== inDims.length)
      throw new GradientSpecError(`Resize '${node.name}': ${scales.length} scales for rank ${inDims.length}`);
    const s = scales.map(f32);
    return { scales: s, outDims: inDims.map((d, i) => Math.trunc(f32(s[i]! * d))) };
  }
  if (node.inputs[3]) {
    const sizes = constantValues(ctx, node.inputs[3]) ?? ctx.staticShape(node.outputs[0]!);
    if (!sizes)
      throw new GradientSpecError(
        `Resize '${node.name}': sizes are computed at run time and the output shape is unknown`,
      );
    return { outDims: [...sizes], scales: sizes.map((o, i) => f32(o / inDims[i]!)) };
  }
  throw new GradientSpecError(
    `Resize '${node.name}': scales are computed at run time; the gradient needs them as constants`,
  );
}

export const resizeRules: GradRuleTable = {
  Resize: (ctx, [g]) => {
    if (!g || !ctx.needs[0]) return firstInputOnly(ctx, null);
    const { b, node } = ctx;
    const attrs = node.attributes;
    const refuse = (what: string): GradientSpecError =>
      new GradientSpecError(
        `Resize '${node.name}': ${what} is not differentiated (nearest and linear modes only)`,
      );
    if (ctx.opset < 11) throw refuse(`opset ${ctx.opset} Resize (scales as input 1)`);
    const mode = stringAttr(attrs, 'mode', 'nearest');
    if (mode !== 'nearest' && mode !== 'linear') throw refuse(`mode '${mode}'`);
    const transform = stringAttr(attrs, 'coordinate_transformation_mode', 'half_pixel');
    if (!COORDINATE_MODES[transform]) throw refuse(`coordinate_transformation_mode '${transform}'`);
    const nearestMode = stringAttr(attrs, 'nearest_mode', 'round_prefer_floor');
    if (!NEAREST_MODES[nearestMode]) throw refuse(`nearest_mode '${nearestMode}'`);
    if (intAttr(attrs, 'antialias', 0) !== 0) throw refuse('antialias=1');
    if (intsAttr(attrs, 'axes')) throw refuse('the axes attribute');
    const policy = stringAttr(attrs, 'keep_aspect_ratio_policy', 'stretch');
    if (policy !== 'stretch') throw refuse(`keep_aspect_ratio_policy '${policy}'`);
    const x = node.inputs[0]!;
    const inDims = ctx.staticShape(x);
    if (!inDims) {
      throw new GradientSpecError(
        `Resize '${node.name}': the gradient builds interpolation matrices and needs the input's static shape`,
      );
    }
    const { outDims, scales } = resizeGeometry(ctx, inDims);
    const rank = inDims.length;

    let t = g;
    for (let axis = 0; axis < rank; axis++) {
      const [inLen, outLen, scale] = [inDims[axis]!, outDims[axis]!, scales[axis]!];
      // The kernel copies an axis whose scale is exactly 1.
      if (scale === 1) continue;
      const a = interpolationMatrix({ mode, coordinateMode: transform, nearestMode, inLen, outLen, scale });
      if (axis === rank - 1) {
        t = b.op('MatMul', [t, b.constF(a, [outLen, inLen], 'resize_interp')]);
      } else if (axis === rank - 2) {
        t = b.op('MatMul', [b.constF(transpose(a, outLen, inLen), [inLen, outLen], 'resize_interp_t'), t]);
      } else {
        const perm = [...Array(rank).keys()];
        [perm[axis], perm[rank - 1]] = [rank - 1, axis];
        const moved = b.op('Transpose', [t], { perm });
        t = b.op('Transpose', [b.op('MatMul', [moved, b.constF(a, [outLen, inLen], 'resize_interp')])], {
          perm,
        });
      }
    }
    // Every scale 1: the forward was a copy.
    return firstInputOnly(ctx, t === g ? b.op('Identity', [g]) : t);
  },
};

function transpose(a: Float32Array, rows: number, cols: number): Float32Array {
  const t = new Float32Array(a.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = a[r * cols + c]!;
  return t;
}
