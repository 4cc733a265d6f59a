/**
 * Multinomial logistic (softmax) regression with an L2 penalty, the classifier of a linear probe.
 * Features are standardised with statistics of the data the model is trained on and the model keeps
 * them, so predictions on held-out data never use held-out statistics.
 *
 * Objective, on standardised features z: mean over samples of -log softmax(W z + b)[y] + (l2 / 2) ||W||^2.
 * The bias is not penalised. With this mean-loss scaling, scikit-learn's C corresponds to l2 = 1 / (C n).
 * Trained full-batch with L-BFGS from zero: the objective is smooth and, for l2 > 0, strictly convex,
 * so the minimiser is unique and any converged run finds it; L-BFGS reaches it in tens to hundreds of
 * iterations where gradient descent needs thousands on ill-conditioned embeddings, and Newton's method
 * would need a (classes x dim)^2 Hessian.
 */
import { checkEmbeddings, checkLabels } from './embedding-checks.ts';
import { EvaluationError } from './errors.ts';
import { minimizeLbfgs, type LbfgsStopReason } from './lbfgs.ts';

export interface FeatureStandardizer {
  /** Per-feature mean of the training data. */
  mean: Float64Array;
  /** Per-feature population standard deviation of the training data; 1 where a feature is constant. */
  scale: Float64Array;
}

export interface SoftmaxRegressionOptions {
  /** L2 penalty on the weights (not the bias), > 0. Default 1e-3. */
  l2?: number;
  /** L-BFGS iteration limit, default 1000. */
  maxIterations?: number;
  /** Stop when every gradient component is at most this; default 1e-6. */
  tolerance?: number;
  /** Standardise features with the training data's mean and std (default true). */
  standardize?: boolean;
  /** Start from this model's parameters (same classes and dimension): a regularisation path converges faster. */
  warmStart?: SoftmaxModel;
}

export interface SoftmaxTraining {
  iterations: number;
  evaluations: number;
  /** The gradient tolerance was met. */
  converged: boolean;
  reason: LbfgsStopReason;
  /** Objective at the solution. */
  loss: number;
  /** Largest gradient component at the solution. */
  gradientMax: number;
}

export interface SoftmaxModel {
  classes: number;
  dim: number;
  l2: number;
  /** Row-major (classes, dim), acting on standardised features. */
  weights: Float64Array;
  bias: Float64Array;
  /** Null when trained without standardisation. */
  standardizer: FeatureStandardizer | null;
  training: SoftmaxTraining;
  /** Class probabilities per sample. */
  predict(x: readonly Float32Array[]): Float64Array[];
  /** Most probable class per sample (the lower index on ties). */
  predictClass(x: readonly Float32Array[]): number[];
}

export const DEFAULT_SOFTMAX_L2 = 1e-3;
export const DEFAULT_SOFTMAX_MAX_ITERATIONS = 1000;
export const DEFAULT_SOFTMAX_TOLERANCE = 1e-6;

/** Mean and population std per feature, computed in float64 with a two-pass sum. */
export function fitStandardizer(x: readonly Float32Array[]): FeatureStandardizer {
  const dim = checkEmbeddings(x, 'x');
  const n = x.length;
  const mean = new Float64Array(dim);
  for (const row of x) for (let j = 0; j < dim; j++) mean[j] = (mean[j] as number) + (row[j] as number);
  for (let j = 0; j < dim; j++) mean[j] = (mean[j] as number) / n;
  const scale = new Float64Array(dim);
  for (const row of x)
    for (let j = 0; j < dim; j++) {
      const d = (row[j] as number) - (mean[j] as number);
      scale[j] = (scale[j] as number) + d * d;
    }
  for (let j = 0; j < dim; j++) {
    const std = Math.sqrt((scale[j] as number) / n);
    // A constant feature carries nothing; dividing by its rounding-noise std would blow that noise up.
    scale[j] = std > 1e-12 * Math.max(1, Math.abs(mean[j] as number)) ? std : 1;
  }
  return { mean, scale };
}

/** Row-major (n, dim) float64 copy of the features, standardised when a standardizer is given. */
export function designMatrix(
  x: readonly Float32Array[],
  standardizer: FeatureStandardizer | null,
): Float64Array {
  const dim = x[0]?.length ?? 0;
  const out = new Float64Array(x.length * dim);
  x.forEach((row, i) => {
    for (let j = 0; j < dim; j++) {
      const v = row[j] as number;
      out[i * dim + j] =
        standardizer === null
          ? v
          : (v - (standardizer.mean[j] as number)) / (standardizer.scale[j] as number);
    }
  });
  return out;
}

/**
 * The training objective over parameters laid out as [W row-major (classes, dim), b (classes)], on a
 * design matrix from designMatrix. Exposed so tests can check gradients and compare optimisers.
 */
export function softmaxRegressionObjective(
  design: Float64Array,
  labels: readonly number[],
  classes: number,
  l2: number,
): (params: Float64Array, gradient: Float64Array) => number {
  const n = labels.length;
  const dim = design.length / n;
  const biasAt = classes * dim;
  // Logits, then residuals (softmax - one-hot), for one block of samples.
  const block = new Float64Array(BLOCK * classes);
  return (params, gradient) => {
    gradient.fill(0);
    let loss = 0;
    for (let i0 = 0; i0 < n; i0 += BLOCK) {
      const m = Math.min(BLOCK, n - i0);
      blockLogits(params, design, i0, m, classes, dim, block);
      for (let t = 0; t < m; t++) {
        const at = t * classes;
        let max = -Infinity;
        for (let c = 0; c < classes; c++) {
          const z = (block[at + c] as number) + (params[biasAt + c] as number);
          block[at + c] = z;
          if (z > max) max = z;
        }
        let sum = 0;
        for (let c = 0; c < classes; c++) sum += Math.exp((block[at + c] as number) - max);
        const logSumExp = max + Math.log(sum);
        const label = labels[i0 + t] as number;
        loss += logSumExp - (block[at + label] as number);
        for (let c = 0; c < classes; c++) {
          const r = Math.exp((block[at + c] as number) - logSumExp) - (c === label ? 1 : 0);
          block[at + c] = r;
          gradient[biasAt + c] = (gradient[biasAt + c] as number) + r;
        }
      }
      blockGradient(gradient, design, i0, m, classes, dim, block);
    }
    let penalty = 0;
    for (let k = 0; k < biasAt; k++) {
      const w = params[k] as number;
      penalty += w * w;
      gradient[k] = (gradient[k] as number) / n + l2 * w;
    }
    for (let c = 0; c < classes; c++) gradient[biasAt + c] = (gradient[biasAt + c] as number) / n;
    return loss / n + 0.5 * l2 * penalty;
  };
}

/**
 * Samples handled together: each weight row is loaded once per block instead of once per sample,
 * which about halves the time of the two (samples x classes x dim) loops that dominate training.
 */
const BLOCK = 4;

/** out[t * classes + c] = W[c] . x[i0 + t] for the m (at most BLOCK) samples from i0; summed in j order. */
function blockLogits(
  params: Float64Array,
  design: Float64Array,
  i0: number,
  m: number,
  classes: number,
  dim: number,
  out: Float64Array,
): void {
  const r0 = i0 * dim;
  if (m === BLOCK) {
    const r1 = r0 + dim;
    const r2 = r1 + dim;
    const r3 = r2 + dim;
    for (let c = 0; c < classes; c++) {
      const w = c * dim;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let j = 0; j < dim; j++) {
        const wj = params[w + j] as number;
        s0 += wj * (design[r0 + j] as number);
        s1 += wj * (design[r1 + j] as number);
        s2 += wj * (design[r2 + j] as number);
        s3 += wj * (design[r3 + j] as number);
      }
      out[c] = s0;
      out[classes + c] = s1;
      out[2 * classes + c] = s2;
      out[3 * classes + c] = s3;
    }
    return;
  }
  for (let t = 0; t < m; t++) {
    const row = r0 + t * dim;
    for (let c = 0; c < classes; c++) {
      const w = c * dim;
      let s = 0;
      for (let j = 0; j < dim; j++) s += (params[w + j] as number) * (design[row + j] as number);
      out[t * classes + c] = s;
    }
  }
}

/** gradient[W[c]] += sum over the block of residual[t, c] * x[i0 + t]. */
function blockGradient(
  gradient: Float64Array,
  design: Float64Array,
  i0: number,
  m: number,
  classes: number,
  dim: number,
  residual: Float64Array,
): void {
  const r0 = i0 * dim;
  if (m === BLOCK) {
    const r1 = r0 + dim;
    const r2 = r1 + dim;
    const r3 = r2 + dim;
    for (let c = 0; c < classes; c++) {
      const a0 = residual[c] as number;
      const a1 = residual[classes + c] as number;
      const a2 = residual[2 * classes + c] as number;
      const a3 = residual[3 * classes + c] as number;
      const w = c * dim;
      for (let j = 0; j < dim; j++)
        gradient[w + j] =
          (gradient[w + j] as number) +
          (a0 * (design[r0 + j] as number) +
            a1 * (design[r1 + j] as number) +
            a2 * (design[r2 + j] as number) +
            a3 * (design[r3 + j] as number));
    }
    return;
  }
  for (let t = 0; t < m; t++) {
    const row = r0 + t * dim;
    for (let c = 0; c < classes; c++) {
      const a = residual[t * classes + c] as number;
      const w = c * dim;
      for (let j = 0; j < dim; j++)
        gradient[w + j] = (gradient[w + j] as number) + a * (design[row + j] as number);
    }
  }
}

export function trainSoftmaxRegression(
  x: readonly Float32Array[],
  y: readonly number[],
  classes: number,
  options: SoftmaxRegressionOptions = {},
): SoftmaxModel {
  const l2 = options.l2 ?? DEFAULT_SOFTMAX_L2;
  const maxIterations = options.maxIterations ?? DEFAULT_SOFTMAX_MAX_ITERATIONS;
  const tolerance = options.tolerance ?? DEFAULT_SOFTMAX_TOLERANCE;
  checkL2(l2, 'l2');
  checkMaxIterations(maxIterations);
  if (!(Number.isFinite(tolerance) && tolerance > 0))
    throw new EvaluationError('INVALID_OPTION', `tolerance must be a positive number, got ${tolerance}`, {
      subject: 'tolerance',
    });
  if (!Number.isInteger(classes) || classes < 2)
    throw new EvaluationError('TOO_FEW_CLASSES', `a classifier needs at least 2 classes, got ${classes}`, {
      subject: 'classes',
    });
  const dim = checkEmbeddings(x, 'x');
  checkLabels(y, x.length, classes, 'y');
  const warm = options.warmStart;
  if (warm !== undefined && (warm.classes !== classes || warm.dim !== dim))
    throw new EvaluationError(
      'DIMENSION_MISMATCH',
      `warmStart has ${warm.classes} classes x ${warm.dim} dimensions, the data ${classes} x ${dim}`,
      { subject: 'warmStart' },
    );

  const standardizer = options.standardize === false ? null : fitStandardizer(x);
  const design = designMatrix(x, standardizer);
  const objective = softmaxRegressionObjective(design, y, classes, l2);
  const start = new Float64Array(classes * dim + classes);
  if (warm !== undefined) {
    start.set(warm.weights);
    start.set(warm.bias, classes * dim);
  }
  const result = minimizeLbfgs(objective, start, { maxIterations, gradientTolerance: tolerance });
  return makeModel(
    classes,
    dim,
    l2,
    result.x.slice(0, classes * dim),
    result.x.slice(classes * dim),
    standardizer,
    {
      iterations: result.iterations,
      evaluations: result.evaluations,
      converged: result.converged,
      reason: result.reason,
      loss: result.value,
      gradientMax: result.gradientMax,
    },
  );
}

export function checkL2(l2: number, subject: string): void {
  if (!(Number.isFinite(l2) && l2 > 0))
    throw new EvaluationError(
      'INVALID_OPTION',
      `${subject} must be a positive finite number, got ${l2} (with 0, separable classes have no optimum and the weights grow without bound)`,
      { subject },
    );
}

export function checkMaxIterations(maxIterations: number): void {
  if (!Number.isInteger(maxIterations) || maxIterations < 1)
    throw new EvaluationError(
      'INVALID_OPTION',
      `maxIterations must be a positive integer, got ${maxIterations}`,
      {
        subject: 'maxIterations',
      },
    );
}

function makeModel(
  classes: number,
  dim: number,
  l2: number,
  weights: Float64Array,
  bias: Float64Array,
  standardizer: FeatureStandardizer | null,
  training: SoftmaxTraining,
): SoftmaxModel {
  const predict = (x: readonly Float32Array[]): Float64Array[] => {
    if (x.length === 0) return [];
    checkEmbeddings(x, 'x', dim);
    const design = designMatrix(x, standardizer);
    return x.map((_, i) => {
      const p = new Float64Array(classes);
      let max = -Infinity;
      for (let c = 0; c < classes; c++) {
        let s = bias[c] as number;
        for (let j = 0; j < dim; j++) s += (weights[c * dim + j] as number) * (design[i * dim + j] as number);
        p[c] = s;
        if (s > max) max = s;
      }
      let sum = 0;
      for (let c = 0; c < classes; c++) sum += p[c] = Math.exp((p[c] as number) - max);
      for (let c = 0; c < classes; c++) p[c] = (p[c] as number) / sum;
      return p;
    });
  };
  return {
    classes,
    dim,
    l2,
    weights,
    bias,
    standardizer,
    training,
    predict,
    predictClass: (x) => predict(x).map(argmax),
  };
}

function argmax(p: Float64Array): number {
  let best = 0;
  for (let c = 1; c < p.length; c++) if ((p[c] as number) > (p[best] as number)) best = c;
  return best;
}
