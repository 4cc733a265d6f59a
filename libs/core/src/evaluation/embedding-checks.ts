/** Input checks shared by the evaluations, so every entry point rejects bad embeddings the same way. */
import { EvaluationError } from './errors.ts';

/**
 * The common dimension of a non-empty list of finite embeddings. `expectedDim`, when given, is the
 * dimension another list already fixed (prompts must match the audio they are compared with).
 */
export function checkEmbeddings(
  vectors: readonly Float32Array[],
  name: string,
  expectedDim?: number,
): number {
  const first = vectors[0];
  if (first === undefined) throw new EvaluationError('EMPTY', `${name} is empty`, { subject: name });
  const dim = expectedDim ?? first.length;
  vectors.forEach((v, i) => {
    const subject = `${name}[${i}]`;
    if (v.length === 0) throw new EvaluationError('ZERO_VECTOR', `${subject} has length 0`, { subject });
    if (v.length !== dim)
      throw new EvaluationError(
        'DIMENSION_MISMATCH',
        `${subject} has ${v.length} dimensions, expected ${dim}${expectedDim === undefined ? ` (as ${name}[0])` : ''}`,
        { subject },
      );
    for (let j = 0; j < v.length; j++)
      if (!Number.isFinite(v[j] as number))
        throw new EvaluationError('NOT_FINITE', `${subject}[${j}] is ${v[j]}`, { subject });
  });
  return dim;
}

/** Labels pairing one-to-one with `count` samples, each an integer class index below `classes`. */
export function checkLabels(
  labels: readonly number[],
  count: number,
  classes: number,
  name = 'labels',
): void {
  if (labels.length !== count)
    throw new EvaluationError(
      'LENGTH_MISMATCH',
      `${name} has ${labels.length} entries for ${count} embeddings`,
      { subject: name },
    );
  labels.forEach((label, i) => {
    if (!Number.isInteger(label) || label < 0 || label >= classes)
      throw new EvaluationError(
        'LABEL_OUT_OF_RANGE',
        `${name}[${i}] = ${label} is not a class index in [0, ${classes})`,
        { subject: `${name}[${i}]` },
      );
  });
}

/** Euclidean norm in float64, so long float32 vectors do not lose precision in the sum. */
export function vectorNorm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i] as number) * (v[i] as number);
  return Math.sqrt(s);
}
