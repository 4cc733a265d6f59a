import type { GraphBuilder } from './graph-builder.ts';
import { float } from './attributes.ts';

/**
 * Thin typed wrappers over single ONNX ops. They keep network code short and put every op the
 * builder can emit in one list, which the autodiff tests check against the gradient rule table.
 */
export const EMITTED_OPS = [
  'Add',
  'Sub',
  'Mul',
  'Div',
  'Pow',
  'Sqrt',
  'Reciprocal',
  'Exp',
  'Log',
  'Neg',
  'Abs',
  'Relu',
  'LeakyRelu',
  'Sigmoid',
  'Tanh',
  'Erf',
  'Softmax',
  'LogSoftmax',
  'LayerNormalization',
  'ReduceMean',
  'ReduceSum',
  'ReduceSumSquare',
  'ReduceMax',
  'ReduceL2',
  'Reshape',
  'Flatten',
  'Transpose',
  'Squeeze',
  'Unsqueeze',
  'Concat',
  'Split',
  'Slice',
  'Gather',
  'Expand',
  'Pad',
  'Resize',
  'AveragePool',
  'MaxPool',
  'GlobalAveragePool',
  'BatchNormalization',
  'Clip',
  'Where',
  'Identity',
  'Cast',
  'Conv',
  'ConvTranspose',
  'Gemm',
  'MatMul',
  'Shape',
  'Constant',
  'ConstantOfShape',
  'Range',
  'Equal',
  'Less',
  'ArgMax',
] as const;
export type EmittedOp = (typeof EMITTED_OPS)[number];

export const add = (b: GraphBuilder, x: string, y: string): string => b.op('Add', [x, y]);
export const sub = (b: GraphBuilder, x: string, y: string): string => b.op('Sub', [x, y]);
export const mul = (b: GraphBuilder, x: string, y: string): string => b.op('Mul', [x, y]);
export const div = (b: GraphBuilder, x: string, y: string): string => b.op('Div', [x, y]);
export const matmul = (b: GraphBuilder, x: string, y: string): string => b.op('MatMul', [x, y]);
export const relu = (b: GraphBuilder, x: string): string => b.op('Relu', [x]);
export const leakyRelu = (b: GraphBuilder, x: string, alpha: number): string =>
  b.op('LeakyRelu', [x], { alpha: float(alpha) });
export const sigmoid = (b: GraphBuilder, x: string): string => b.op('Sigmoid', [x]);
export const tanh = (b: GraphBuilder, x: string): string => b.op('Tanh', [x]);
export const sqrt = (b: GraphBuilder, x: string): string => b.op('Sqrt', [x]);
export const neg = (b: GraphBuilder, x: string): string => b.op('Neg', [x]);
export const exp = (b: GraphBuilder, x: string): string => b.op('Exp', [x]);
export const log = (b: GraphBuilder, x: string): string => b.op('Log', [x]);

export const reshape = (b: GraphBuilder, x: string, shape: readonly number[]): string =>
  b.op('Reshape', [x, b.constI64(shape)]);
export const transpose = (b: GraphBuilder, x: string, perm: number[]): string =>
  b.op('Transpose', [x], { perm });
export const unsqueeze = (b: GraphBuilder, x: string, axes: number[]): string =>
  b.op('Unsqueeze', [x, b.constI64(axes)]);
export const squeeze = (b: GraphBuilder, x: string, axes: number[]): string =>
  b.op('Squeeze', [x, b.constI64(axes)]);
export const concat = (b: GraphBuilder, xs: string[], axis: number): string => b.op('Concat', xs, { axis });

export const reduceSum = (b: GraphBuilder, x: string, axes: number[], keepdims = true): string =>
  b.op('ReduceSum', [x, b.constI64(axes)], { keepdims: keepdims ? 1 : 0 });
/** ReduceMean takes axes as an attribute until opset 18. */
export const reduceMean = (b: GraphBuilder, x: string, axes: number[], keepdims = true): string =>
  b.op('ReduceMean', [x], { axes, keepdims: keepdims ? 1 : 0 });
export const reduceSumSquare = (b: GraphBuilder, x: string, axes: number[], keepdims = true): string =>
  b.op('ReduceSumSquare', [x], { axes, keepdims: keepdims ? 1 : 0 });
