/**
 * Limited-memory BFGS with a strong-Wolfe line search (Nocedal & Wright, Numerical Optimization,
 * algorithms 7.4, 3.5 and 3.6), in float64. Used for smooth, strictly convex objectives such as
 * L2-regularised softmax regression, where it converges superlinearly without the (parameters)^2
 * Hessian that Newton's method would need. Fully deterministic: no randomness, fixed operation order.
 */

/** Writes the gradient at `x` into `gradient` and returns the objective value. */
export type LbfgsObjective = (x: Float64Array, gradient: Float64Array) => number;

export interface LbfgsOptions {
  /** Iteration limit (each iteration is one line search). */
  maxIterations: number;
  /** Stop when the largest gradient component is at most this. */
  gradientTolerance: number;
  /** Correction pairs kept; 10 is the usual choice (scipy and sklearn default to 10). */
  memory?: number;
}

export type LbfgsStopReason =
  /** The gradient tolerance was met: the point is a minimiser to that tolerance. */
  | 'gradient'
  /** The objective stopped decreasing within float64 precision before the gradient tolerance was met. */
  | 'no-progress'
  | 'max-iterations'
  /** Even a steepest-descent step found no point satisfying the Wolfe conditions. */
  | 'line-search';

export interface LbfgsResult {
  x: Float64Array;
  value: number;
  gradient: Float64Array;
  /** Largest gradient component at `x`. */
  gradientMax: number;
  iterations: number;
  /** Objective evaluations, line searches included. */
  evaluations: number;
  converged: boolean;
  reason: LbfgsStopReason;
}

const C1 = 1e-4;
const C2 = 0.9;
const MAX_LINE_SEARCH_EVALUATIONS = 40;
const STALLED_ITERATIONS = 5;

export function minimizeLbfgs(
  objective: LbfgsObjective,
  x0: Float64Array,
  options: LbfgsOptions,
): LbfgsResult {
  const n = x0.length;
  const memory = options.memory ?? 10;
  const x = Float64Array.from(x0);
  let g: Float64Array = new Float64Array(n);
  let evaluations = 1;
  let f = objective(x, g);
  const pairs: Array<{ s: Float64Array; y: Float64Array; rho: number }> = [];
  const direction = new Float64Array(n);
  const alphas = new Float64Array(memory);
  let iterations = 0;
  let stalled = 0;
  let reason: LbfgsStopReason = 'max-iterations';

  const finish = (why: LbfgsStopReason): LbfgsResult => {
    const gradientMax = maxAbs(g);
    return {
      x,
      value: f,
      gradient: g,
      gradientMax,
      iterations,
      evaluations,
      converged: gradientMax <= options.gradientTolerance,
      reason: why,
    };
  };
  if (maxAbs(g) <= options.gradientTolerance) return finish('gradient');

  while (iterations < options.maxIterations) {
    twoLoopDirection(g, pairs, alphas, direction);
    let slope = dot(g, direction);
    if (!(slope < 0)) {
      // Rounding can make the quasi-Newton direction useless; steepest descent always descends.
      pairs.length = 0;
      twoLoopDirection(g, pairs, alphas, direction);
      slope = dot(g, direction);
    }
    // Without curvature pairs the direction has the gradient's scale, so the first step is kept short.
    const initialStep = pairs.length === 0 ? Math.min(1, 1 / Math.sqrt(dot(g, g))) : 1;
    let search = strongWolfe(objective, x, f, g, direction, slope, initialStep);
    evaluations += search.evaluations;
    if (search.step === 0 && pairs.length > 0) {
      pairs.length = 0;
      twoLoopDirection(g, pairs, alphas, direction);
      slope = dot(g, direction);
      search = strongWolfe(objective, x, f, g, direction, slope, Math.min(1, 1 / Math.sqrt(dot(g, g))));
      evaluations += search.evaluations;
    }
    if (search.step === 0) {
      reason = 'line-search';
      break;
    }
    iterations++;
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = search.step * (direction[i] as number);
      y[i] = (search.gradient[i] as number) - (g[i] as number);
      x[i] = (x[i] as number) + (s[i] as number);
    }
    const previous = f;
    f = search.value;
    g = search.gradient;
    const sy = dot(s, y);
    // The Wolfe curvature condition makes sy > 0 in exact arithmetic; a pair without it would break positive definiteness.
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (pairs.length === memory) pairs.shift();
      pairs.push({ s, y, rho: 1 / sy });
    }
    if (maxAbs(g) <= options.gradientTolerance) {
      reason = 'gradient';
      break;
    }
    // Near the optimum the decrease falls below float64 resolution of f while the gradient still
    // shrinks, so only a run of such iterations means the search has stalled.
    if (previous - f <= 4 * Number.EPSILON * Math.max(Math.abs(previous), Math.abs(f), 1)) stalled++;
    else stalled = 0;
    if (stalled >= STALLED_ITERATIONS) {
      reason = 'no-progress';
      break;
    }
  }
  return finish(reason);
}

/** direction = -H g, with H the L-BFGS inverse-Hessian estimate scaled by the newest pair (N&W 7.20). */
function twoLoopDirection(
  g: Float64Array,
  pairs: ReadonlyArray<{ s: Float64Array; y: Float64Array; rho: number }>,
  alphas: Float64Array,
  direction: Float64Array,
): void {
  const n = g.length;
  for (let i = 0; i < n; i++) direction[i] = -(g[i] as number);
  for (let k = pairs.length - 1; k >= 0; k--) {
    const { s, y, rho } = pairs[k] as { s: Float64Array; y: Float64Array; rho: number };
    const a = rho * dot(s, direction);
    alphas[k] = a;
    for (let i = 0; i < n; i++) direction[i] = (direction[i] as number) - a * (y[i] as number);
  }
  const newest = pairs[pairs.length - 1];
  if (newest !== undefined) {
    const gamma = 1 / (newest.rho * dot(newest.y, newest.y));
    for (let i = 0; i < n; i++) direction[i] = gamma * (direction[i] as number);
  }
  for (let k = 0; k < pairs.length; k++) {
    const { s, y, rho } = pairs[k] as { s: Float64Array; y: Float64Array; rho: number };
    const b = rho * dot(y, direction);
    const a = alphas[k] as number;
    for (let i = 0; i < n; i++) direction[i] = (direction[i] as number) + (a - b) * (s[i] as number);
  }
}

interface Trial {
  step: number;
  value: number;
  slope: number;
  gradient: Float64Array;
}

/**
 * A step satisfying the strong Wolfe conditions, by bracketing then zooming with safeguarded cubic
 * interpolation. Returns step 0 (and the start point's value and gradient) when none is found.
 */
function strongWolfe(
  objective: LbfgsObjective,
  x: Float64Array,
  f0: number,
  g0: Float64Array,
  direction: Float64Array,
  slope0: number,
  initialStep: number,
): { step: number; value: number; gradient: Float64Array; evaluations: number } {
  const n = x.length;
  const point = new Float64Array(n);
  let evaluations = 0;
  const evaluate = (step: number): Trial => {
    for (let i = 0; i < n; i++) point[i] = (x[i] as number) + step * (direction[i] as number);
    const gradient = new Float64Array(n);
    const value = objective(point, gradient);
    evaluations++;
    return { step, value, slope: dot(gradient, direction), gradient };
  };
  const start: Trial = { step: 0, value: f0, slope: slope0, gradient: g0 };
  // Near the optimum a step's decrease is below float64 resolution of f and the Armijo test becomes a
  // coin toss; Hager and Zhang's approximate Wolfe condition then judges the step by its slope instead.
  const flat = 1e-12 * Math.max(1, Math.abs(f0));
  const sufficient = (t: Trial): boolean =>
    t.value <= f0 + C1 * t.step * slope0 || (t.value <= f0 + flat && t.slope <= (2 * C1 - 1) * slope0);
  const curvature = (t: Trial): boolean => Math.abs(t.slope) <= -C2 * slope0;
  const done = (t: Trial): { step: number; value: number; gradient: Float64Array; evaluations: number } => ({
    step: t.step,
    value: t.value,
    gradient: t.gradient,
    evaluations,
  });

  const zoom = (lo: Trial, hi: Trial): Trial => {
    while (evaluations < MAX_LINE_SEARCH_EVALUATIONS) {
      const t = evaluate(cubicStep(lo, hi));
      if (!Number.isFinite(t.value) || !sufficient(t) || t.value >= lo.value) hi = t;
      else {
        if (curvature(t)) return t;
        if (t.slope * (hi.step - lo.step) >= 0) hi = lo;
        lo = t;
      }
      if (Math.abs(hi.step - lo.step) <= 1e-16 * Math.max(1, lo.step)) break;
    }
    // Out of evaluations: the best point that decreased enough is still progress.
    return lo;
  };

  let previous = start;
  let step = initialStep;
  for (let i = 0; evaluations < MAX_LINE_SEARCH_EVALUATIONS; i++) {
    const t = evaluate(step);
    if (!Number.isFinite(t.value) || !sufficient(t) || (i > 0 && t.value >= previous.value))
      return done(zoom(previous, t));
    if (curvature(t)) return done(t);
    if (t.slope >= 0) return done(zoom(t, previous));
    previous = t;
    step *= 2;
  }
  return done(previous);
}

/** Minimiser of the cubic through both ends' values and slopes, kept inside the middle 80% of the bracket. */
function cubicStep(a: Trial, b: Trial): number {
  const lo = Math.min(a.step, b.step);
  const hi = Math.max(a.step, b.step);
  const width = hi - lo;
  const d1 = a.slope + b.slope - (3 * (a.value - b.value)) / (a.step - b.step);
  const disc = d1 * d1 - a.slope * b.slope;
  if (Number.isFinite(b.value) && disc >= 0) {
    const d2 = Math.sign(b.step - a.step) * Math.sqrt(disc);
    const t = b.step - ((b.step - a.step) * (b.slope + d2 - d1)) / (b.slope - a.slope + 2 * d2);
    if (Number.isFinite(t) && t >= lo + 0.1 * width && t <= hi - 0.1 * width) return t;
  }
  return lo + 0.5 * width;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

function maxAbs(v: Float64Array): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i] as number));
  return m;
}
