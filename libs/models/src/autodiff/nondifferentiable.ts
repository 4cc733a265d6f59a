/**
 * Ops whose outputs carry no gradient: shape computations, comparisons, index producers and
 * random sources. Gradients stop at them without error, as they do in every autodiff system.
 */
export const NON_DIFFERENTIABLE_OPS: ReadonlySet<string> = new Set([
  'Shape',
  'Size',
  'Constant',
  'ConstantOfShape',
  'Range',
  'Equal',
  'Less',
  'LessOrEqual',
  'Greater',
  'GreaterOrEqual',
  'Not',
  'And',
  'Or',
  'Xor',
  'ArgMax',
  'ArgMin',
  'NonZero',
  'IsNaN',
  'IsInf',
  'Sign',
  'Floor',
  'Ceil',
  'Round',
  'RandomNormal',
  'RandomNormalLike',
  'RandomUniform',
  'RandomUniformLike',
  'EyeLike',
  'OneHot',
]);

/** Element-wise ops that broadcast their inputs; the driver un-broadcasts their input gradients. */
export const BROADCASTING_OPS: ReadonlySet<string> = new Set([
  'Add',
  'Sub',
  'Mul',
  'Div',
  'Pow',
  'Where',
  'Max',
  'Min',
  'Sum',
  'Mean',
  'PRelu',
]);

const INTEGER_CAST_TARGETS = new Set([2, 3, 4, 5, 6, 7, 9, 12, 13]);

/** A Cast to an integer or bool type ends the differentiable path. */
export function castEndsGradient(to: number): boolean {
  return INTEGER_CAST_TARGETS.has(to);
}
