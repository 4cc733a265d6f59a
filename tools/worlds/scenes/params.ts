import type { Rng } from '@soundedit/models';
import { hex, type Rgb } from '../color.ts';
import { clamp01 } from '../scalar.ts';
import { checkFinite, checkRgb, checkUnit, WorldParamsError } from '../errors.ts';
import { independentEditIntensity } from '../edit-intensity.ts';
import { drawSection } from '../draw-section.ts';
import { noSceneEdits, SCENE_ATTRIBUTE_NAMES, type SceneAttribute, type SceneEdits } from './attributes.ts';

export type GroundType = 'grass' | 'sand' | 'snow' | 'rock';
export type Relief = 'plains' | 'hills' | 'mountains';
export type TreeKind = 'conifer' | 'broadleaf' | 'palm';
export type RoofStyle = 'flat' | 'pitched';

export interface Building {
  /** Centre of the facade, canvas units. */
  x: number;
  /** Where the building meets the ground (y grows downwards). */
  baseY: number;
  width: number;
  height: number;
  wall: Rgb;
  roof: Rgb;
  roofStyle: RoofStyle;
  /** Fraction of windows lit after dark. */
  litWindows: number;
}

export interface Tree {
  x: number;
  baseY: number;
  /** Height in canvas units. */
  size: number;
  kind: TreeKind;
  foliage: Rgb;
}

/**
 * A landscape: everything `renderScene` needs, so a scene is reproducible from its parameters
 * alone (they are plain JSON). Layout (buildings, trees) is explicit; small scattered details
 * (stars, rain streaks, flames) derive from `seed`, one stream per layer, so turning an edit up
 * or down never moves anything else.
 */
export interface SceneParams {
  seed: number;
  /** 0 midnight, 0.25 dawn, 0.5 noon, 0.75 dusk (wraps around). */
  timeOfDay: number;
  /** Zenith colour of the clear daytime sky. */
  skyColor: Rgb;
  clouds: { amount: number; darkness: number };
  ground: GroundType;
  groundColor: Rgb;
  /** y of the horizon line, canvas units. */
  horizon: number;
  relief: Relief;
  /** 0..1: how tall the hills or mountains stand. */
  reliefHeight: number;
  buildings: Building[];
  trees: Tree[];
  /** Density of grass tufts in the foreground, 0..1. */
  vegetation: number;
  edits: SceneEdits;
}

export interface SampleSceneOptions {
  /** Force these edit intensities (0 turns one off); the others follow `editProbability`. */
  edits?: Partial<SceneEdits>;
  /** Chance that a scene gets random edits beyond the forced ones; 0 gives neutral scenes. Default 0.5. */
  editProbability?: number;
  /** Force the time of day (see SceneParams.timeOfDay). */
  timeOfDay?: number;
  ground?: GroundType;
  /**
   * Use this seed for the scattered details instead of drawing one (the draw is still made). A
   * generator regressed onto the renderer sees details as a function of the other parameters only.
   */
  detailSeed?: number;
  /**
   * 'one' (default): a scene gets one random edit (sometimes with a companion) with probability
   * `editProbability`. 'independent': each attribute has its own draw and reaches intensity 0.25
   * with probability `editProbability`, rising smoothly with that draw (independentEditIntensity,
   * never exactly zero), so every edit is a smooth
   * function of one latent direction (what a regressed generator can learn and an edit can follow).
   * The modes draw different numbers of values; each mode's count is fixed.
   */
  editSampling?: 'one' | 'independent';
  /** At most this many buildings and trees (their slots are still drawn). */
  maxBuildings?: number;
  maxTrees?: number;
}

/** Most buildings and trees a scene holds: every slot is drawn, so the draw count never varies. */
export const MAX_BUILDINGS = 7;
export const MAX_TREES = 15;

const SKIES: readonly Rgb[] = ['#2f6fd0', '#4a90d9', '#2a55a8', '#5fb0dd', '#7a9cc8', '#3b7fc4'].map(hex);

const GROUNDS: Record<GroundType, readonly Rgb[]> = {
  grass: ['#4f8f2f', '#6a9a34', '#3f7a32', '#7aa53e', '#5a8a3a'].map(hex),
  sand: ['#d9b46a', '#e0c080', '#c99a58', '#e6c98e'].map(hex),
  snow: ['#eef2f8', '#e4ebf4', '#f4f6fa'].map(hex),
  rock: ['#7a6f66', '#6b6560', '#857a6a', '#5f5a57'].map(hex),
};

const WALLS: readonly Rgb[] = [
  '#e8e0d0',
  '#d8c8a8',
  '#b5533c',
  '#a0a4a8',
  '#e4d2b4',
  '#c9b8d6',
  '#f0ead8',
].map(hex);
const ROOFS: readonly Rgb[] = ['#9c3b25', '#4a4a52', '#6b4a32', '#2f5f6a', '#7a2f2f'].map(hex);
const TOWERS: readonly Rgb[] = ['#6f8aa3', '#8a8d92', '#b8ad98', '#54657a', '#a3a6ab'].map(hex);
const FOLIAGE: readonly Rgb[] = ['#2f6b2a', '#3d7d2e', '#4f8a34', '#27572f', '#5b8f2a'].map(hex);
const AUTUMN: readonly Rgb[] = ['#b8862a', '#a5552a'].map(hex);

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng.next() * items.length)]!;
}

function uniform(rng: Rng, lo: number, hi: number): number {
  return lo + (hi - lo) * rng.next();
}

function jitter(rng: Rng, c: Rgb, amount: number): Rgb {
  const k = 1 + amount * (2 * rng.next() - 1);
  return [clamp01(c[0] * k), clamp01(c[1] * k), clamp01(c[2] * k)];
}

function sampleTime(rng: Rng): number {
  const u = rng.next();
  if (u < 0.5) return uniform(rng, 0.34, 0.66);
  if (u < 0.67) return uniform(rng, 0.235, 0.3);
  if (u < 0.84) return uniform(rng, 0.7, 0.765);
  return (uniform(rng, 0.84, 1.14) + 1) % 1;
}

function sampleGround(rng: Rng): GroundType {
  const u = rng.next();
  return u < 0.45 ? 'grass' : u < 0.65 ? 'sand' : u < 0.85 ? 'snow' : 'rock';
}

function sampleBuildings(rng: Rng, horizon: number, cap: number): Building[] {
  const none = rng.next() < 0.4;
  const some = 1 + Math.floor(rng.next() * MAX_BUILDINGS);
  const count = Math.min(cap, none ? 0 : some);
  const town = rng.next() < 0.5 && count >= 4;
  const centre = uniform(rng, 0.25, 0.75);
  const spread = 0.08 + 0.05 * count;
  const out: Building[] = [];
  for (let i = 0; i < MAX_BUILDINGS; i++) {
    const tower = rng.next() < 0.6 && town;
    const building: Building = {
      x: centre + spread * (2 * rng.next() - 1),
      baseY: horizon + uniform(rng, 0.02, 0.09),
      width: tower ? uniform(rng, 0.06, 0.1) : uniform(rng, 0.08, 0.13),
      height: tower ? uniform(rng, 0.15, 0.32) : uniform(rng, 0.06, 0.11),
      wall: jitter(rng, tower ? pick(rng, TOWERS) : pick(rng, WALLS), 0.08),
      roof: jitter(rng, pick(rng, ROOFS), 0.1),
      roofStyle: tower ? 'flat' : 'pitched',
      litWindows: uniform(rng, 0.4, 0.9),
    };
    if (i < count) out.push(building);
  }
  // Painter's order: far (higher on the canvas) first.
  return out.sort((a, b) => a.baseY - b.baseY);
}

function sampleTrees(rng: Rng, ground: GroundType, horizon: number, cap: number): Tree[] {
  const roll = rng.next();
  const few = rng.next();
  const count = Math.min(
    cap,
    ground === 'sand' ? (roll < 0.6 ? 0 : 1 + Math.floor(few * 3)) : Math.floor(roll * roll * MAX_TREES),
  );
  const autumn = rng.next() < 0.2 && ground === 'grass';
  const out: Tree[] = [];
  for (let i = 0; i < MAX_TREES; i++) {
    const depth = rng.next() ** 1.6; // more trees far away than near
    const baseY = horizon + 0.02 + depth * (0.98 - horizon - 0.02);
    const broadleaf = rng.next() < 0.55;
    const kind: TreeKind =
      ground === 'sand'
        ? 'palm'
        : ground === 'snow' || ground === 'rock'
          ? 'conifer'
          : broadleaf
            ? 'broadleaf'
            : 'conifer';
    const tree: Tree = {
      x: uniform(rng, 0.02, 0.98),
      baseY,
      size: (0.06 + 0.22 * depth) * uniform(rng, 0.8, 1.2),
      kind,
      foliage: jitter(rng, autumn && kind === 'broadleaf' ? pick(rng, AUTUMN) : pick(rng, FOLIAGE), 0.1),
    };
    if (i < count) out.push(tree);
  }
  return out.sort((a, b) => a.baseY - b.baseY);
}

/** One random edit attribute (sometimes with a natural companion) at a random intensity. */
function sampleEdits(rng: Rng): Partial<SceneEdits> {
  const name = pick(rng, SCENE_ATTRIBUTE_NAMES);
  const level = uniform(rng, 0.25, 1);
  const paired = rng.next() < 0.2;
  const companionLevel = uniform(rng, 0.2, 0.7);
  const edits: Partial<SceneEdits> = { [name]: level };
  // Weather comes in pairs often enough that the encoders should see mixtures.
  const companion: Partial<Record<SceneAttribute, SceneAttribute>> = {
    rain: 'wind',
    wind: 'rain',
    thunderstorm: 'rain',
    fire: 'wind',
    explosion: 'fire',
  };
  const other = companion[name];
  if (paired && other) edits[other] = companionLevel;
  return edits;
}

/** Each attribute from its own draw u: 0 below 1 - p, then rising linearly to 1 at u = 1. */
function independentEdits(rng: Rng, p: number): SceneEdits {
  const edits = noSceneEdits();
  for (const name of SCENE_ATTRIBUTE_NAMES) {
    drawSection(rng, `edit:${name}`);
    const u = rng.next();
    edits[name] = independentEditIntensity(u, p);
  }
  return edits;
}

/**
 * A random scene. Every call makes the same number of draws in the same order, whatever the
 * branches taken (absent buildings and trees are drawn and dropped), so the k-th draw always feeds
 * the same parameter: a latent-driven generator (tools/packs/latent-rng.ts) then maps nearby
 * latents to nearby scenes.
 */
export function sampleSceneParams(rng: Rng, options: SampleSceneOptions = {}): SceneParams {
  drawSection(rng, 'layout');
  const drawnSeed = Math.floor(rng.next() * 0xffffffff) >>> 0;
  const seed = options.detailSeed ?? drawnSeed;
  drawSection(rng, 'time');
  const drawnTime = sampleTime(rng);
  const timeOfDay = options.timeOfDay ?? drawnTime;
  drawSection(rng, 'colour');
  const skyColor = jitter(rng, pick(rng, SKIES), 0.08);
  drawSection(rng, 'clouds');
  const cloudy = rng.next();
  const cloudAmount = uniform(rng, 0.1, 0.85);
  const clouds = {
    amount: cloudy < 0.25 ? 0 : cloudAmount,
    darkness: uniform(rng, 0, 0.45) * rng.next(),
  };
  drawSection(rng, 'ground');
  const drawnGround = sampleGround(rng);
  const ground = options.ground ?? drawnGround;
  drawSection(rng, 'colour');
  const groundColor = jitter(rng, pick(rng, GROUNDS[ground]), 0.07);
  drawSection(rng, 'layout');
  const horizon = uniform(rng, 0.56, 0.68);
  const reliefRoll = rng.next();
  const relief: Relief = reliefRoll < 0.25 ? 'plains' : reliefRoll < 0.62 ? 'hills' : 'mountains';
  const reliefHeight = uniform(rng, 0.3, 1);
  drawSection(rng, 'structures');
  const buildings = sampleBuildings(rng, horizon, options.maxBuildings ?? MAX_BUILDINGS);
  const trees = sampleTrees(rng, ground, horizon, options.maxTrees ?? MAX_TREES);
  drawSection(rng, 'ground');
  const vegetation =
    ground === 'grass'
      ? uniform(rng, 0.3, 1)
      : ground === 'sand'
        ? uniform(rng, 0, 0.25)
        : uniform(rng, 0, 0.15);

  const edits = noSceneEdits();
  drawSection(rng, 'layout');
  const edited = rng.next() < (options.editProbability ?? 0.5);
  const randomEdits = sampleEdits(rng);
  if (options.editSampling === 'independent') {
    Object.assign(edits, independentEdits(rng, options.editProbability ?? 0.5), options.edits);
  } else {
    Object.assign(edits, edited ? randomEdits : {}, options.edits);
  }
  const params: SceneParams = {
    seed,
    timeOfDay,
    skyColor,
    clouds,
    ground,
    groundColor,
    horizon,
    relief,
    reliefHeight,
    buildings,
    trees,
    vegetation,
    edits,
  };
  checkSceneParams(params);
  return params;
}

/** The same scene with some edit intensities replaced; for edit sweeps and paired training data. */
export function withSceneEdits(params: SceneParams, edits: Partial<SceneEdits>): SceneParams {
  return { ...params, edits: { ...params.edits, ...edits } };
}

/** Throws WorldParamsError on anything `renderScene` cannot draw faithfully. */
export function checkSceneParams(params: SceneParams): void {
  for (const name of SCENE_ATTRIBUTE_NAMES) checkUnit(`edits.${name}`, params.edits[name]);
  checkUnit('clouds.amount', params.clouds.amount);
  checkUnit('clouds.darkness', params.clouds.darkness);
  checkUnit('reliefHeight', params.reliefHeight);
  checkUnit('vegetation', params.vegetation);
  checkFinite('timeOfDay', params.timeOfDay);
  checkRgb('skyColor', params.skyColor);
  checkRgb('groundColor', params.groundColor);
  params.buildings.forEach((b, i) => {
    for (const key of ['x', 'baseY', 'width', 'height'] as const)
      checkFinite(`buildings[${i}].${key}`, b[key]);
    checkUnit(`buildings[${i}].litWindows`, b.litWindows);
    checkRgb(`buildings[${i}].wall`, b.wall);
    checkRgb(`buildings[${i}].roof`, b.roof);
  });
  params.trees.forEach((t, i) => {
    for (const key of ['x', 'baseY', 'size'] as const) checkFinite(`trees[${i}].${key}`, t[key]);
    checkRgb(`trees[${i}].foliage`, t.foliage);
  });
  if (!(params.horizon >= 0.3 && params.horizon <= 0.85)) {
    throw new WorldParamsError(`horizon must be in [0.3, 0.85], got ${params.horizon}`);
  }
  if (!(params.ground in GROUNDS)) throw new WorldParamsError(`unknown ground type '${params.ground}'`);
}
