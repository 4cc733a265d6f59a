import { Rng } from '@soundedit/models';
import { describe, expect, it } from 'vitest';
import {
  designMatrix,
  fitStandardizer,
  softmaxRegressionObjective,
  trainSoftmaxRegression,
} from './softmax-regression.ts';
import { evaluationError, gaussianClusters } from './test-fixtures.ts';

const f32 = (...v: number[]): Float32Array => Float32Array.from(v);

describe('softmaxRegressionObjective', () => {
  it('has the gradient that central differences measure', () => {
    const { x, y } = gaussianClusters(11, 3, 4, 5);
    const design = designMatrix(x, fitStandardizer(x));
    const objective = softmaxRegressionObjective(design, y, 3, 0.3);
    const rng = new Rng(12);
    const params = Float64Array.from({ length: 3 * 5 + 3 }, () => rng.normal());
    const gradient = new Float64Array(params.length);
    objective(params, gradient);
    const scratch = new Float64Array(params.length);
    const h = 1e-6;
    for (let k = 0; k < params.length; k++) {
      const plus = Float64Array.from(params);
      const minus = Float64Array.from(params);
      plus[k] = (plus[k] as number) + h;
      minus[k] = (minus[k] as number) - h;
      const numeric = (objective(plus, scratch) - objective(minus, scratch)) / (2 * h);
      expect(gradient[k]).toBeCloseTo(numeric, 6);
    }
  });

  it('is log(classes) at zero parameters', () => {
    const design = Float64Array.from([1, 2, 3, 4]);
    expect(
      softmaxRegressionObjective(design, [0, 3], 4, 1)(new Float64Array(12), new Float64Array(12)),
    ).toBeCloseTo(Math.log(4), 12);
  });
});

describe('trainSoftmaxRegression', () => {
  it('converges by L-BFGS to the minimiser a long gradient descent reaches, with ~0 gradient there', () => {
    const { x, y } = gaussianClusters(21, 3, 10, 3, 1, 1);
    const l2 = 0.05;
    const model = trainSoftmaxRegression(x, y, 3, { l2, tolerance: 1e-10 });
    expect(model.training.converged).toBe(true);
    expect(model.training.gradientMax).toBeLessThan(1e-10);

    const design = designMatrix(x, model.standardizer);
    const objective = softmaxRegressionObjective(design, y, 3, l2);
    const theta = new Float64Array(3 * 3 + 3);
    const gradient = new Float64Array(theta.length);
    for (let step = 0; step < 40000; step++) {
      objective(theta, gradient);
      for (let k = 0; k < theta.length; k++) theta[k] = (theta[k] as number) - 0.5 * (gradient[k] as number);
    }
    const descended = objective(theta, gradient);
    expect(Math.max(...gradient.map(Math.abs))).toBeLessThan(1e-9);
    const lbfgs = Float64Array.from([...model.weights, ...model.bias]);
    lbfgs.forEach((v, k) => expect(v).toBeCloseTo(theta[k] as number, 7));
    expect(model.training.loss).toBeCloseTo(descended, 12);
    expect(model.training.iterations).toBeLessThan(100);
  });

  it('separates well-separated clusters and returns probabilities', () => {
    const { x, y } = gaussianClusters(31, 5, 20, 16);
    const model = trainSoftmaxRegression(x, y, 5);
    expect(model.predictClass(x)).toEqual(y);
    for (const p of model.predict(x.slice(0, 5))) expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('is deterministic', () => {
    const { x, y } = gaussianClusters(41, 4, 10, 6, 1, 1);
    const a = trainSoftmaxRegression(x, y, 4);
    const b = trainSoftmaxRegression(x, y, 4);
    expect([...a.weights]).toEqual([...b.weights]);
    expect([...a.bias]).toEqual([...b.bias]);
  });

  it('reaches the same optimum from a warm start, in fewer iterations', () => {
    const { x, y } = gaussianClusters(51, 4, 15, 8, 1, 1);
    const strong = trainSoftmaxRegression(x, y, 4, { l2: 1e-1 });
    const cold = trainSoftmaxRegression(x, y, 4, { l2: 1e-2, tolerance: 1e-9 });
    const warm = trainSoftmaxRegression(x, y, 4, { l2: 1e-2, tolerance: 1e-9, warmStart: strong });
    warm.weights.forEach((v, k) => expect(v).toBeCloseTo(cold.weights[k] as number, 6));
    expect(warm.training.iterations).toBeLessThan(cold.training.iterations);
  });
});

describe('standardisation', () => {
  it('keeps the training data’s mean and population std, and 1 for a constant feature', () => {
    const s = fitStandardizer([f32(1, 5, 2), f32(3, 5, 2), f32(5, 5, 8)]);
    expect([...s.mean]).toEqual([3, 5, 4]);
    expect(s.scale[0]).toBeCloseTo(Math.sqrt(8 / 3), 12);
    expect(s.scale[1]).toBe(1);
    expect(s.scale[2]).toBeCloseTo(Math.sqrt(8), 12);
  });

  it('standardises held-out data with the training statistics, not its own', () => {
    // Trained on classes around -1 and +1; held-out points far to the right all belong with +1.
    const x = [-1.2, -1, -0.8, 0.8, 1, 1.2].map((v) => f32(v));
    const model = trainSoftmaxRegression(x, [0, 0, 0, 1, 1, 1], 2, { l2: 1e-2 });
    expect([...(model.standardizer?.mean ?? [])]).toEqual([0]);
    const heldOut = [9, 10, 11, 12].map((v) => f32(v));
    expect(model.predictClass(heldOut)).toEqual([1, 1, 1, 1]);
    // Standardised by their own mean (10.5) the same points would straddle the boundary.
    const leaked = heldOut.map((v) => f32((v[0] as number) - 10.5));
    expect(model.predictClass(leaked)).toEqual([0, 0, 1, 1]);
  });

  it('can be switched off', () => {
    const model = trainSoftmaxRegression([f32(0), f32(10)], [0, 1], 2, { standardize: false });
    expect(model.standardizer).toBeNull();
    expect(model.predictClass([f32(1), f32(9)])).toEqual([0, 1]);
  });
});

describe('softmax regression input errors', () => {
  const x = [f32(0, 1), f32(1, 0)];
  it('rejects bad data and options', () => {
    expect(evaluationError(() => trainSoftmaxRegression([], [], 2)).code).toBe('EMPTY');
    expect(evaluationError(() => trainSoftmaxRegression(x, [0], 2)).code).toBe('LENGTH_MISMATCH');
    expect(evaluationError(() => trainSoftmaxRegression(x, [0, 2], 2)).code).toBe('LABEL_OUT_OF_RANGE');
    expect(evaluationError(() => trainSoftmaxRegression([f32(0, 1), f32(1)], [0, 1], 2)).code).toBe(
      'DIMENSION_MISMATCH',
    );
    expect(evaluationError(() => trainSoftmaxRegression([f32(0, NaN), f32(1, 0)], [0, 1], 2)).code).toBe(
      'NOT_FINITE',
    );
    expect(evaluationError(() => trainSoftmaxRegression(x, [0, 0], 1)).code).toBe('TOO_FEW_CLASSES');
    expect(evaluationError(() => trainSoftmaxRegression(x, [0, 1], 2, { l2: 0 })).code).toBe(
      'INVALID_OPTION',
    );
    expect(evaluationError(() => trainSoftmaxRegression(x, [0, 1], 2, { l2: NaN })).code).toBe(
      'INVALID_OPTION',
    );
    expect(evaluationError(() => trainSoftmaxRegression(x, [0, 1], 2, { maxIterations: 0 })).code).toBe(
      'INVALID_OPTION',
    );
    expect(evaluationError(() => trainSoftmaxRegression(x, [0, 1], 2, { tolerance: -1 })).code).toBe(
      'INVALID_OPTION',
    );
    const other = trainSoftmaxRegression([f32(0, 1, 2), f32(1, 0, 2)], [0, 1], 2);
    expect(evaluationError(() => trainSoftmaxRegression(x, [0, 1], 2, { warmStart: other })).code).toBe(
      'DIMENSION_MISMATCH',
    );
    const model = trainSoftmaxRegression(x, [0, 1], 2);
    expect(evaluationError(() => model.predict([f32(1, 2, 3)])).code).toBe('DIMENSION_MISMATCH');
  });
});
