import { describe, expect, it } from 'vitest';
import { minimizeLbfgs } from './lbfgs.ts';

describe('minimizeLbfgs', () => {
  it('finds the minimum of an ill-conditioned quadratic', () => {
    // f = sum_i c_i (x_i - i)^2 / 2 with curvatures spanning 1e4.
    const c = [1e-2, 1, 10, 100];
    const result = minimizeLbfgs(
      (x, g) => {
        let f = 0;
        c.forEach((ci, i) => {
          const d = (x[i] as number) - i;
          f += 0.5 * ci * d * d;
          g[i] = ci * d;
        });
        return f;
      },
      new Float64Array(4),
      { maxIterations: 200, gradientTolerance: 1e-10 },
    );
    expect(result.converged).toBe(true);
    expect(result.reason).toBe('gradient');
    result.x.forEach((v, i) => expect(v).toBeCloseTo(i, 7));
  });

  it('follows the curved valley of the Rosenbrock function to (1, 1)', () => {
    const result = minimizeLbfgs(
      (x, g) => {
        const a = x[0] as number;
        const b = x[1] as number;
        g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
        g[1] = 200 * (b - a * a);
        return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
      },
      Float64Array.from([-1.2, 1]),
      { maxIterations: 500, gradientTolerance: 1e-8 },
    );
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(1, 6);
    expect(result.x[1]).toBeCloseTo(1, 6);
    expect(result.iterations).toBeLessThan(100);
  });

  it('stops at the iteration limit without claiming convergence', () => {
    const result = minimizeLbfgs(
      (x, g) => {
        const a = x[0] as number;
        const b = x[1] as number;
        g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
        g[1] = 200 * (b - a * a);
        return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
      },
      Float64Array.from([-1.2, 1]),
      { maxIterations: 3, gradientTolerance: 1e-8 },
    );
    expect(result.iterations).toBe(3);
    expect(result.reason).toBe('max-iterations');
    expect(result.converged).toBe(false);
  });
});
