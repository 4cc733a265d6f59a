import { expect } from 'vitest';
import type { GradCheckInput, GradCheckReport } from './gradcheck.ts';

/** A float gradient-check input of `shape` filled by `gen`. */
export const input = (shape: number[], gen: GradCheckInput['gen'] = 'normal'): GradCheckInput => ({
  shape,
  gen,
});

/** Asserts every checked input's worst error is within tolerance (<= 1), naming the input that is not. */
export async function expectGradOk(report: Promise<GradCheckReport>): Promise<GradCheckReport> {
  const r = await report;
  for (const [name, w] of Object.entries(r.worst)) expect(w, `input ${name}`).toBeLessThanOrEqual(1);
  return r;
}
