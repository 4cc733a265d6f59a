import type { Rng } from '@soundedit/models';
import { mix, type Rgb } from '../color.ts';
import { checkFinite, checkRgb, checkUnit, WorldParamsError } from '../errors.ts';
import { independentEditIntensity } from '../edit-intensity.ts';
import { drawSection } from '../draw-section.ts';
import { FACE_EXPRESSION_NAMES, neutralExpression, type FaceExpression } from './expressions.ts';
import {
  BACKGROUNDS,
  CLOTHES,
  EYE_COLORS,
  FRAMES,
  HAIR_COLORS,
  HATS,
  LIPSTICKS,
  type EyeColorName,
  type HairColorName,
} from './palette.ts';

export type Presentation = 'feminine' | 'masculine';
export type HairStyle = 'short' | 'long' | 'bob' | 'bald' | 'curly' | 'bun';
export type BrowShape = 'straight' | 'arched' | 'angled';
export type Glasses = 'none' | 'round' | 'square';
export type Earrings = 'none' | 'studs' | 'hoops';
export type Hat = 'none' | 'beanie' | 'cap' | 'fedora';
export type Beard = 'none' | 'stubble' | 'moustache' | 'goatee' | 'full';

/**
 * Who the person is: everything that must stay put when the expression changes, so one identity
 * under different expressions is recognisably the same person (what an identity encoder learns).
 * Shape values are 0..1 across a plausible range; colours are named so captions can say them.
 */
export interface FaceIdentity {
  seed: number;
  presentation: Presentation;
  faceWidth: number;
  faceLength: number;
  /** 0 narrow, rounded chin .. 1 wide, square jaw. */
  jaw: number;
  /** 0 lightest .. 1 deepest. */
  skinTone: number;
  /** 0 pinker .. 1 more golden. */
  skinWarmth: number;
  hair: { style: HairStyle; color: HairColorName; shade: number; volume: number; part: number };
  eyes: { color: EyeColorName; size: number; spacing: number };
  brows: { shape: BrowShape; thickness: number };
  nose: { size: number; width: number };
  mouth: { width: number; lips: number; color: Rgb };
  glasses: Glasses;
  frameColor: Rgb;
  earrings: Earrings;
  hat: Hat;
  hatColor: Rgb;
  beard: Beard;
  clothing: Rgb;
}

export interface FaceParams {
  identity: FaceIdentity;
  expression: FaceExpression;
  /** The backdrop: a vertical gradient with a few soft out-of-focus shapes (seeded). */
  background: { top: Rgb; bottom: Rgb; seed: number };
}

export interface SampleFaceOptions {
  /** Keep this person and sample only expression and background. */
  identity?: FaceIdentity;
  /** Force these expression intensities; the others follow `expressionProbability`. */
  expression?: Partial<FaceExpression>;
  /** Chance of a random expression beyond the forced ones; 0 gives neutral faces. Default 0.6. */
  expressionProbability?: number;
  /** Use this seed for identity and backdrop details instead of drawing them (the draws are still made). */
  detailSeed?: number;
  /**
   * 'one' (default): one random expression with probability `expressionProbability`.
   * 'independent': each expression from its own draw, present with that probability and rising
   * smoothly with the draw (see SampleSceneOptions.editSampling).
   */
  expressionSampling?: 'one' | 'independent';
}

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng.next() * items.length)]!;
}

function weighted<T extends string>(rng: Rng, table: Readonly<Record<T, number>>): T {
  const entries = Object.entries(table) as [T, number][];
  let u = rng.next() * entries.reduce((s, [, w]) => s + w, 0);
  for (const [k, w] of entries) {
    u -= w;
    if (u < 0) return k;
  }
  return entries[entries.length - 1]![0];
}

const HAIR_STYLES: Record<Presentation, Record<HairStyle, number>> = {
  feminine: { long: 35, bob: 16, curly: 15, bun: 15, short: 16, bald: 3 },
  masculine: { short: 45, curly: 15, bald: 16, long: 10, bob: 6, bun: 8 },
};
const HAIR_COLOR_WEIGHTS: Record<HairColorName, number> = {
  black: 25,
  'dark brown': 24,
  brown: 18,
  auburn: 7,
  red: 5,
  blonde: 12,
  platinum: 3,
  grey: 6,
};
const EYE_COLOR_WEIGHTS: Record<EyeColorName, number> = {
  brown: 32,
  'dark brown': 22,
  hazel: 12,
  green: 10,
  blue: 16,
  grey: 8,
};

/**
 * A random person. Like `sampleFaceParams`, a fixed number of draws in a fixed order whatever the
 * branches, so a latent-driven sampler maps nearby latents to similar people.
 */
export function sampleFaceIdentity(rng: Rng, detailSeed?: number): FaceIdentity {
  // Sections (drawSection) group the draws the way a StyleGAN splits a face across its layers:
  // head shape, hair shape, features, then colours.
  drawSection(rng, 'head');
  const presentation: Presentation = rng.next() < 0.5 ? 'feminine' : 'masculine';
  const fem = presentation === 'feminine';
  drawSection(rng, 'skin');
  const skinTone = rng.next();
  const skinWarmth = rng.next();
  drawSection(rng, 'hair');
  const style = weighted(rng, HAIR_STYLES[presentation]);
  drawSection(rng, 'colour');
  // Very light hair is rare on the deepest skin tones in portrait datasets; keep that correlation mild.
  let color = weighted(rng, HAIR_COLOR_WEIGHTS);
  const darken = rng.next() < 0.7;
  if (skinTone > 0.6 && (color === 'platinum' || color === 'blonde' || color === 'red') && darken) {
    color = 'black';
  }
  const lipstick = rng.next() < 0.5 && fem;
  const lipstickColor = pick(rng, LIPSTICKS);
  drawSection(rng, 'features');
  const glassesRoll = rng.next();
  const glassesKind = pick(rng, ['round', 'square'] as const);
  const earringsRoll = rng.next();
  const earringsKind = pick(rng, ['studs', 'hoops'] as const);
  drawSection(rng, 'hair');
  const hatRoll = rng.next();
  const hatKind = pick(rng, ['beanie', 'cap', 'fedora'] as const);
  const beardRoll = rng.next();
  const beardKind = pick(rng, ['stubble', 'moustache', 'goatee', 'full'] as const);
  drawSection(rng, 'detail');
  const drawnSeed = Math.floor(rng.next() * 0xffffffff) >>> 0;
  drawSection(rng, 'head');
  const faceWidth = rng.next();
  const faceLength = rng.next();
  const jaw = fem ? rng.next() * 0.6 : 0.35 + rng.next() * 0.65;
  drawSection(rng, 'hair');
  const hairStyle = { style, color };
  drawSection(rng, 'colour');
  const shade = 2 * rng.next() - 1;
  drawSection(rng, 'hair');
  const volume = rng.next();
  const part = 2 * rng.next() - 1;
  drawSection(rng, 'colour');
  const eyeColor = weighted(rng, EYE_COLOR_WEIGHTS);
  drawSection(rng, 'features');
  const eyes = { color: eyeColor, size: rng.next(), spacing: rng.next() };
  const brows = {
    shape: pick(rng, ['straight', 'arched', 'angled'] as const),
    thickness: fem ? rng.next() * 0.6 : 0.4 + rng.next() * 0.6,
  };
  const nose = { size: rng.next(), width: rng.next() };
  const naturalLips: Rgb = [0.72, 0.38, 0.38];
  const mouth = {
    width: rng.next(),
    lips: fem ? 0.4 + 0.6 * rng.next() : 0.6 * rng.next(),
    color: lipstick ? lipstickColor : naturalLips,
  };
  drawSection(rng, 'colour');
  const frameColor = pick(rng, FRAMES);
  const hatColor = pick(rng, HATS);
  const clothing = pick(rng, CLOTHES);
  return {
    seed: detailSeed ?? drawnSeed,
    presentation,
    faceWidth,
    faceLength,
    jaw,
    skinTone,
    skinWarmth,
    hair: { ...hairStyle, shade, volume, part },
    eyes,
    brows,
    nose,
    mouth,
    glasses: glassesRoll < 0.25 ? glassesKind : 'none',
    frameColor,
    earrings: earringsRoll < (fem ? 0.45 : 0.1) ? earringsKind : 'none',
    hat: hatRoll < 0.15 ? hatKind : 'none',
    hatColor,
    beard: !fem && beardRoll < 0.4 ? beardKind : 'none',
    clothing,
  };
}

function sampleExpression(rng: Rng): Partial<FaceExpression> {
  const name = pick(rng, FACE_EXPRESSION_NAMES);
  return { [name]: 0.3 + 0.7 * rng.next() };
}

export function sampleFaceParams(rng: Rng, options: SampleFaceOptions = {}): FaceParams {
  const identity = options.identity ?? sampleFaceIdentity(rng, options.detailSeed);
  drawSection(rng, 'background');
  const top = pick(rng, BACKGROUNDS);
  const bottom = mix(top, pick(rng, BACKGROUNDS), 0.3 + 0.4 * rng.next());
  drawSection(rng, 'detail');
  const drawnSeed = Math.floor(rng.next() * 0xffffffff) >>> 0;
  const background = { top, bottom, seed: options.detailSeed ?? drawnSeed };
  const expression = neutralExpression();
  const expressive = rng.next() < (options.expressionProbability ?? 0.6);
  const randomExpression = sampleExpression(rng);
  if (options.expressionSampling === 'independent') {
    const p = options.expressionProbability ?? 0.6;
    for (const name of FACE_EXPRESSION_NAMES) {
      drawSection(rng, `expression:${name}`);
      const u = rng.next();
      expression[name] = independentEditIntensity(u, p);
    }
    Object.assign(expression, options.expression);
  } else {
    Object.assign(expression, expressive ? randomExpression : {}, options.expression);
  }
  const params: FaceParams = { identity, expression, background };
  checkFaceParams(params);
  return params;
}

/** The same person and backdrop with another expression. */
export function withExpression(params: FaceParams, expression: Partial<FaceExpression>): FaceParams {
  return { ...params, expression: { ...neutralExpression(), ...expression } };
}

/** Throws WorldParamsError on anything `renderFace` cannot draw faithfully. */
export function checkFaceParams(params: FaceParams): void {
  for (const name of FACE_EXPRESSION_NAMES) checkUnit(`expression.${name}`, params.expression[name]);
  const id = params.identity;
  const units: [string, number][] = [
    ['faceWidth', id.faceWidth],
    ['faceLength', id.faceLength],
    ['jaw', id.jaw],
    ['skinTone', id.skinTone],
    ['skinWarmth', id.skinWarmth],
    ['hair.volume', id.hair.volume],
    ['eyes.size', id.eyes.size],
    ['eyes.spacing', id.eyes.spacing],
    ['brows.thickness', id.brows.thickness],
    ['nose.size', id.nose.size],
    ['nose.width', id.nose.width],
    ['mouth.width', id.mouth.width],
    ['mouth.lips', id.mouth.lips],
  ];
  for (const [name, v] of units) checkUnit(`identity.${name}`, v);
  checkFinite('identity.hair.shade', id.hair.shade);
  checkFinite('identity.hair.part', id.hair.part);
  const colors: [string, Rgb][] = [
    ['identity.mouth.color', id.mouth.color],
    ['identity.frameColor', id.frameColor],
    ['identity.hatColor', id.hatColor],
    ['identity.clothing', id.clothing],
    ['background.top', params.background.top],
    ['background.bottom', params.background.bottom],
  ];
  for (const [name, c] of colors) checkRgb(name, c);
  if (!(id.hair.color in HAIR_COLORS)) throw new WorldParamsError(`unknown hair colour '${id.hair.color}'`);
  if (!(id.eyes.color in EYE_COLORS)) throw new WorldParamsError(`unknown eye colour '${id.eyes.color}'`);
  if (!(id.hair.style in HAIR_STYLES.feminine))
    throw new WorldParamsError(`unknown hair style '${id.hair.style}'`);
}
