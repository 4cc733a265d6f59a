// Test-only helpers: seeded synthetic embeddings.
import { Rng } from '@soundedit/models';
import { EvaluationError } from './errors.ts';

export interface Clusters {
  centres: Float32Array[];
  x: Float32Array[];
  y: number[];
}

/** `perClass` points around each of `classes` random centres (scale `spread`), with isotropic noise `noise`. */
export function gaussianClusters(
  seed: number,
  classes: number,
  perClass: number,
  dim: number,
  spread = 3,
  noise = 1,
): Clusters {
  const rng = new Rng(seed);
  const centres = Array.from({ length: classes }, () => rng.fillNormal(new Float32Array(dim), spread));
  const x: Float32Array[] = [];
  const y: number[] = [];
  for (let i = 0; i < perClass; i++)
    centres.forEach((centre, c) => {
      x.push(Float32Array.from(centre, (v) => v + noise * rng.normal()));
      y.push(c);
    });
  return { centres, x, y };
}

export function randomLabels(seed: number, n: number, classes: number): number[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => Math.floor(rng.next() * classes));
}

/** Binomial mean ± `sigmas` standard deviations of a share of `n` trials with success rate `p`. */
export function binomialBand(p: number, n: number, sigmas = 5): [number, number] {
  const std = Math.sqrt((p * (1 - p)) / n);
  return [p - sigmas * std, p + sigmas * std];
}

/** The EvaluationError `run` throws; fails the test when it throws anything else or nothing. */
export function evaluationError(run: () => unknown): EvaluationError {
  try {
    run();
  } catch (e) {
    if (e instanceof EvaluationError) return e;
    throw e;
  }
  throw new Error('expected an EvaluationError');
}
