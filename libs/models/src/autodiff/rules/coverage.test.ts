import { describe, expect, it } from 'vitest';
import { EMITTED_OPS } from '../../builder/ops.ts';
import { NON_DIFFERENTIABLE_OPS } from '../nondifferentiable.ts';
import { GRAD_RULES } from './index.ts';

/** The ops issue [1 of 7] requires gradient rules for. */
const REQUIRED = [
  'Conv',
  'ConvTranspose',
  'Gemm',
  'MatMul',
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
];
const REQUIRED_NON_DIFFERENTIABLE = [
  'Shape',
  'Constant',
  'ConstantOfShape',
  'Range',
  'Equal',
  'Less',
  'ArgMax',
];

describe('gradient rule coverage', () => {
  it('has a rule for every op the issue lists', () => {
    expect(REQUIRED.filter((op) => !GRAD_RULES[op])).toEqual([]);
  });

  it('treats shape/compare/index ops as non-differentiable', () => {
    expect(REQUIRED_NON_DIFFERENTIABLE.filter((op) => !NON_DIFFERENTIABLE_OPS.has(op))).toEqual([]);
  });

  it('can differentiate every op the graph builder emits', () => {
    expect(EMITTED_OPS.filter((op) => !GRAD_RULES[op] && !NON_DIFFERENTIABLE_OPS.has(op))).toEqual([]);
  });

  it('has no rule for an op it also calls non-differentiable', () => {
    expect(Object.keys(GRAD_RULES).filter((op) => NON_DIFFERENTIABLE_OPS.has(op))).toEqual([]);
  });
});
