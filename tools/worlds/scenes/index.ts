export {
  noSceneEdits,
  SCENE_ATTRIBUTE_NAMES,
  SCENE_ATTRIBUTES,
  type SceneAttribute,
  type SceneEdits,
} from './attributes.ts';
export { captionScene } from './caption.ts';
export {
  checkSceneParams,
  sampleSceneParams,
  withSceneEdits,
  type Building,
  type GroundType,
  type Relief,
  type RoofStyle,
  type SampleSceneOptions,
  type SceneParams,
  type Tree,
  type TreeKind,
} from './params.ts';
export { renderScene } from './render.ts';
