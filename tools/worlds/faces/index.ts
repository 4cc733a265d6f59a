export {
  FACE_EXPRESSION_NAMES,
  FACE_EXPRESSIONS,
  neutralExpression,
  type FaceExpression,
  type FaceExpressionName,
} from './expressions.ts';
export { captionFace } from './caption.ts';
export { faceLayout, type FaceLayout } from './layout.ts';
export { EYE_COLORS, HAIR_COLORS, type EyeColorName, type HairColorName } from './palette.ts';
export {
  checkFaceParams,
  sampleFaceIdentity,
  sampleFaceParams,
  withExpression,
  type Beard,
  type BrowShape,
  type Earrings,
  type FaceIdentity,
  type FaceParams,
  type Glasses,
  type HairStyle,
  type Hat,
  type Presentation,
  type SampleFaceOptions,
} from './params.ts';
export { FACE_VIEW, renderFace } from './render.ts';
