/**
 * The landscape world's edit attributes, each paired with the sound class that drives it (the
 * audio side's label names). Order is stable: packs store per-attribute prompts in this order.
 */
export const SCENE_ATTRIBUTES = [
  { name: 'fire', soundClass: 'fire_crackling' },
  { name: 'wind', soundClass: 'wind' },
  { name: 'underwater', soundClass: 'underwater_bubbling' },
  { name: 'explosion', soundClass: 'explosion' },
  { name: 'thunderstorm', soundClass: 'thunderstorm' },
  { name: 'rain', soundClass: 'rain' },
] as const;

export type SceneAttribute = (typeof SCENE_ATTRIBUTES)[number]['name'];

export const SCENE_ATTRIBUTE_NAMES: readonly SceneAttribute[] = SCENE_ATTRIBUTES.map((a) => a.name);

/** Intensity of each edit, 0 (absent) to 1 (strongest). */
export type SceneEdits = Record<SceneAttribute, number>;

export function noSceneEdits(): SceneEdits {
  return { fire: 0, wind: 0, underwater: 0, explosion: 0, thunderstorm: 0, rain: 0 };
}
