import type { Rng } from '@soundedit/models';
import type { RgbImage } from '@soundedit/core';
import {
  captionFace,
  FACE_EXPRESSIONS,
  renderFace,
  sampleFaceParams,
  withExpression,
  type FaceParams,
} from '../worlds/faces/index.ts';
import {
  captionScene,
  renderScene,
  SCENE_ATTRIBUTES,
  sampleSceneParams,
  withSceneEdits,
  type SceneParams,
} from '../worlds/scenes/index.ts';
import type { SoundClass } from '../worlds/sounds/synthesize.ts';

export const WORLD_NAMES = ['scenes', 'faces'] as const;
export type WorldName = (typeof WORLD_NAMES)[number];

/** One edit class of a pack: the sound that drives it, the edit it makes, and text for it. */
export interface WorldClass {
  /** Pack class name: the sound class id. */
  name: SoundClass;
  /** The world's attribute or expression; undefined for the neutral (ambient) class. */
  edit?: string;
  /** Zero-shot prompts and text guidance, in the words the world's captions use. */
  prompts: string[];
  editPrompt: string;
  /** Shared recordings (../shared/data/sounds/<folder>) that belong to this class. */
  realFolders: string[];
}

/** A sampled picture of a world, with what the trainers need to know about it. */
export interface WorldSample {
  render(size: number): RgbImage;
  caption(rng: Rng): string;
  /** Probe targets in [0, 1], in `probeOutputs` order. */
  probeTargets(): Float32Array;
  /** The same picture with one edit at an intensity (others off); neutral for undefined. */
  withEdit(edit: string | undefined, intensity: number): WorldSample;
  /** Faces: the same person with another random expression and backdrop (identity training pairs). */
  sameIdentity?(rng: Rng): WorldSample;
}

export interface World {
  name: WorldName;
  title: string;
  classes: WorldClass[];
  probeOutputs: string[];
  /**
   * A random picture; `editProbability` 0 gives neutral ones. For generator training, `latent`
   * fixes the detail seed (the picture is then a function of the sampler's draws alone) and draws
   * each edit independently, so every edit follows one latent direction smoothly.
   */
  sample(rng: Rng, editProbability: number, latent?: { detailSeed: number }): WorldSample;
  /**
   * Where each section of the sampler's draws (drawSection) lives in a generator, in tenths of its
   * style layers from the coarsest: layout first, then objects and edits, colours last, as in a
   * StyleGAN trained on photographs. Style-mixing training makes each layer own its sections.
   */
  styleSections: Readonly<Record<string, number>>;
}

/** The generator layer (of `layers`) that owns each section of a world's draws. */
export function sectionLayers(world: World, layers: number): (section: string) => number {
  return (section) => {
    const tenths = world.styleSections[section];
    if (tenths === undefined) throw new Error(`the ${world.name} world has no style section '${section}'`);
    return Math.min(layers - 1, Math.floor(((tenths + 0.5) / 10) * layers));
  };
}

const scenePrompts: Record<string, [string[], string]> = {
  fire: [['fire', 'a fire burning', 'flames and smoke', 'a raging fire'], 'a raging fire'],
  wind: [['wind', 'a strong wind', 'a gale', 'a howling wind'], 'a howling wind'],
  underwater: [
    ['deep water', 'rising bubbles', 'under the deep sea', 'bubbles and caustic light'],
    'deep water',
  ],
  explosion: [
    ['an explosion', 'a huge explosion', 'a massive blast', 'a giant fireball'],
    'a huge explosion',
  ],
  thunderstorm: [
    ['a thunderstorm', 'lightning', 'a violent thunderstorm', 'a lightning storm'],
    'a violent thunderstorm',
  ],
  rain: [['rain', 'heavy rain', 'a downpour', 'pouring rain'], 'heavy rain'],
};

const sceneReal: Record<string, string[]> = {
  fire: ['crackling_fire'],
  wind: ['wind'],
  underwater: ['water'],
  explosion: ['explosion_fireworks'],
  thunderstorm: ['thunderstorm'],
  rain: ['rain'],
};

function sceneSample(params: SceneParams): WorldSample {
  return {
    render: (size) => renderScene(params, size),
    caption: (rng) => captionScene(params, rng),
    probeTargets: () =>
      Float32Array.from([
        ...SCENE_ATTRIBUTES.map((a) => params.edits[a.name]),
        params.timeOfDay,
        params.clouds.amount,
      ]),
    withEdit: (edit, intensity) => {
      const edits = Object.fromEntries(
        SCENE_ATTRIBUTES.map((a) => [a.name, a.name === edit ? intensity : 0]),
      );
      return sceneSample(withSceneEdits(params, edits));
    },
  };
}

export const SCENES: World = {
  name: 'scenes',
  title: 'Tiny scenes: procedural landscapes with weather, fire and water',
  classes: [
    ...SCENE_ATTRIBUTES.map((a) => ({
      name: a.soundClass as SoundClass,
      edit: a.name,
      prompts: scenePrompts[a.name]![0],
      editPrompt: scenePrompts[a.name]![1],
      realFolders: sceneReal[a.name]!,
    })),
    {
      name: 'ambient' as SoundClass,
      prompts: ['a clear blue sky', 'green fields', 'a quiet village', 'a meadow'],
      editPrompt: 'a clear blue sky',
      realFolders: ['birds_chirping'],
    },
  ],
  probeOutputs: [...SCENE_ATTRIBUTES.map((a) => a.name), 'time_of_day', 'clouds'],
  styleSections: {
    layout: 0,
    ground: 1,
    structures: 2,
    clouds: 3,
    'edit:fire': 4,
    'edit:explosion': 4,
    'edit:wind': 5,
    'edit:rain': 5,
    'edit:thunderstorm': 6,
    'edit:underwater': 6,
    time: 7,
    colour: 8,
  },
  sample: (rng, editProbability, latent) =>
    sceneSample(
      sampleSceneParams(rng, {
        editProbability,
        ...(latent ? { detailSeed: latent.detailSeed, editSampling: 'independent' } : {}),
      }),
    ),
};

const facePrompts: Record<string, [string[], string]> = {
  giggling: [['laughing', 'a laughing person', 'giggling', 'a big smile'], 'laughing'],
  sobbing: [['crying', 'a crying person', 'sobbing', 'tears'], 'crying'],
  nose_blowing: [
    ['blowing their nose', 'a tissue', 'a red nose', 'blowing their nose into a tissue'],
    'blowing their nose into a tissue',
  ],
};

const faceReal: Record<string, string[]> = {
  giggling: ['laughing'],
  sobbing: ['crying'],
  nose_blowing: ['sneezing_coughing'],
};

function faceSample(params: FaceParams): WorldSample {
  return {
    render: (size) => renderFace(params, size),
    caption: (rng) => captionFace(params, rng),
    probeTargets: () =>
      Float32Array.from([
        ...FACE_EXPRESSIONS.map((e) => params.expression[e.name]),
        params.identity.skinTone,
        params.identity.glasses === 'none' ? 0 : 1,
      ]),
    withEdit: (edit, intensity) => {
      const expression = Object.fromEntries(
        FACE_EXPRESSIONS.map((e) => [e.name, e.name === edit ? intensity : 0]),
      );
      return faceSample(withExpression(params, expression));
    },
    sameIdentity: (rng) =>
      faceSample(sampleFaceParams(rng, { identity: params.identity, expressionProbability: 0.8 })),
  };
}

export const FACES: World = {
  name: 'faces',
  title: 'Tiny faces: procedural portraits that laugh, cry and blow their noses',
  classes: [
    ...FACE_EXPRESSIONS.map((e) => ({
      name: e.soundClass as SoundClass,
      edit: e.name,
      prompts: facePrompts[e.name]![0],
      editPrompt: facePrompts[e.name]![1],
      realFolders: faceReal[e.name]!,
    })),
    {
      name: 'ambient' as SoundClass,
      prompts: ['a calm face', 'a neutral expression', 'a portrait', 'a quiet person'],
      editPrompt: 'a neutral expression',
      realFolders: [],
    },
  ],
  probeOutputs: [...FACE_EXPRESSIONS.map((e) => e.name), 'skin_tone', 'glasses'],
  styleSections: {
    head: 0,
    detail: 0,
    hair: 1,
    features: 2,
    'expression:giggling': 3,
    'expression:sobbing': 4,
    'expression:nose_blowing': 5,
    background: 6,
    skin: 7,
    colour: 8,
  },
  sample: (rng, editProbability, latent) =>
    faceSample(
      sampleFaceParams(rng, {
        expressionProbability: editProbability,
        ...(latent ? { detailSeed: latent.detailSeed, expressionSampling: 'independent' } : {}),
      }),
    ),
};

export function worldByName(name: string): World {
  if (name === 'scenes') return SCENES;
  if (name === 'faces') return FACES;
  throw new Error(`unknown world '${name}': choose ${WORLD_NAMES.join(' or ')}`);
}
