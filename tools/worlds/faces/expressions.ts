/**
 * The face world's expressions, each paired with the sound class that drives it (the sound
 * world's ids, after VGGSound's "people giggling", "people sobbing" and "people nose blowing").
 * Neutral is all zeros.
 */
export const FACE_EXPRESSIONS = [
  { name: 'giggling', soundClass: 'giggling' },
  { name: 'sobbing', soundClass: 'sobbing' },
  { name: 'nose_blowing', soundClass: 'nose_blowing' },
] as const;

export type FaceExpressionName = (typeof FACE_EXPRESSIONS)[number]['name'];

export const FACE_EXPRESSION_NAMES: readonly FaceExpressionName[] = FACE_EXPRESSIONS.map((e) => e.name);

/** Intensity of each expression, 0 (absent) to 1 (strongest); usually one is active. */
export type FaceExpression = Record<FaceExpressionName, number>;

export function neutralExpression(): FaceExpression {
  return { giggling: 0, sobbing: 0, nose_blowing: 0 };
}
