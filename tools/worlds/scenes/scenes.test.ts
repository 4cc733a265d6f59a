import type { RgbImage } from '@soundedit/core';
import { Rng } from '@soundedit/models';
import { describe, expect, it } from 'vitest';
import { drawsPerSample } from '../draw-count.ts';
import { WorldParamsError } from '../errors.ts';
import {
  captionScene,
  checkSceneParams,
  renderScene,
  sampleSceneParams,
  SCENE_ATTRIBUTE_NAMES,
  SCENE_ATTRIBUTES,
  withSceneEdits,
  type SceneAttribute,
  type SceneParams,
} from './index.ts';

const SIZE = 48;

/** Values that are NaN or outside [0, 1]. */
function outOfRange(img: RgbImage): number {
  return img.data.filter((v) => !(v >= 0 && v <= 1)).length;
}

function meanAbsDiff(a: RgbImage, b: RgbImage): number {
  let s = 0;
  for (let i = 0; i < a.data.length; i++) s += Math.abs(a.data[i]! - b.data[i]!);
  return s / a.data.length;
}

interface Stats {
  luminance: number;
  /** Mean of (g + b) / 2 - r: how blue-green the picture is. */
  blueGreen: number;
  /** Mean of r - b over the lower half: how red/orange the ground is. */
  lowerWarmth: number;
  /** Pixels lit white-yellow hot. */
  hot: number;
  maxLuminance: number;
}

function stats(img: RgbImage): Stats {
  const n = img.width * img.height;
  const d = img.data;
  const out: Stats = { luminance: 0, blueGreen: 0, lowerWarmth: 0, hot: 0, maxLuminance: 0 };
  for (let i = 0; i < n; i++) {
    const r = d[i]!;
    const g = d[n + i]!;
    const b = d[2 * n + i]!;
    const l = 0.299 * r + 0.587 * g + 0.114 * b;
    out.luminance += l / n;
    out.blueGreen += ((g + b) / 2 - r) / n;
    if (i >= n / 2) out.lowerWarmth += (r - b) / (n / 2);
    if (r > 0.97 && g > 0.85 && b > 0.5) out.hot++;
    out.maxLuminance = Math.max(out.maxLuminance, l);
  }
  return out;
}

/** Neutral scenes across times of day and ground types, from a fixed seed. */
function neutralScenes(count: number, seed = 21): SceneParams[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => sampleSceneParams(rng, { editProbability: 0 }));
}

describe('renderScene', () => {
  it('is deterministic: the same parameters give identical pixels', () => {
    const [params] = neutralScenes(1);
    const edited = withSceneEdits(params!, { rain: 0.7, fire: 0.5 });
    expect(renderScene(edited, SIZE).data).toEqual(renderScene(edited, SIZE).data);
    const again = sampleSceneParams(new Rng(5));
    expect(renderScene(again, SIZE).data).toEqual(renderScene(sampleSceneParams(new Rng(5)), SIZE).data);
  });

  it('gives values in [0, 1] without NaN, with every edit at full strength', () => {
    for (const params of neutralScenes(4)) {
      const all = Object.fromEntries(SCENE_ATTRIBUTE_NAMES.map((n) => [n, 1]));
      for (const p of [params, withSceneEdits(params, all)]) {
        const img = renderScene(p, SIZE);
        expect(img.width).toBe(SIZE);
        expect(img.data.length).toBe(3 * SIZE * SIZE);
        expect(outOfRange(img)).toBe(0);
      }
    }
  });

  it('gives different pictures for different seeds', () => {
    const [a, b] = neutralScenes(2);
    expect(meanAbsDiff(renderScene(a!, SIZE), renderScene(b!, SIZE))).toBeGreaterThan(0.03);
  });

  it('draws the same scene at any size', () => {
    const [params] = neutralScenes(1);
    const small = stats(renderScene(params!, 32));
    const large = stats(renderScene(params!, 96));
    expect(Math.abs(small.luminance - large.luminance)).toBeLessThan(0.02);
  });

  it('refuses bad parameters with a typed error', () => {
    const [params] = neutralScenes(1);
    expect(() => renderScene(withSceneEdits(params!, { rain: Number.NaN }), SIZE)).toThrow(WorldParamsError);
    expect(() => renderScene(withSceneEdits(params!, { fire: 1.5 }), SIZE)).toThrow(/edits\.fire/);
    expect(() => renderScene(params!, 3)).toThrow(WorldParamsError);
    const tree = {
      x: Number.NaN,
      baseY: 0.8,
      size: 0.1,
      kind: 'conifer' as const,
      foliage: [0.2, 0.5, 0.2] as const,
    };
    expect(() => renderScene({ ...params!, trees: [tree] }, SIZE)).toThrow(/trees\[0\]\.x/);
  });
});

describe('edit attributes', () => {
  const bases = neutralScenes(8);
  const base = bases.map((p) => stats(renderScene(p, SIZE)));
  const at = (name: SceneAttribute, level: number) =>
    bases.map((p) => stats(renderScene(withSceneEdits(p, { [name]: level }), SIZE)));

  it('each changes the image measurably, more as intensity grows', () => {
    for (const name of SCENE_ATTRIBUTE_NAMES) {
      const p = bases[0]!;
      const neutral = renderScene(p, SIZE);
      const diffs = [0.33, 0.66, 1].map((v) =>
        meanAbsDiff(neutral, renderScene(withSceneEdits(p, { [name]: v }), SIZE)),
      );
      expect(diffs[2], name).toBeGreaterThan(0.015);
      expect(diffs[0], name).toBeLessThan(diffs[2]!);
      expect(renderScene(withSceneEdits(p, { [name]: 0 }), SIZE).data).toEqual(neutral.data);
    }
  });

  it('each fades in from zero: no effect pops in at a tiny intensity', () => {
    for (const name of SCENE_ATTRIBUTE_NAMES) {
      const p = bases[0]!;
      const neutral = renderScene(p, SIZE);
      const tiny = meanAbsDiff(neutral, renderScene(withSceneEdits(p, { [name]: 0.005 }), SIZE));
      const quarter = meanAbsDiff(neutral, renderScene(withSceneEdits(p, { [name]: 0.25 }), SIZE));
      expect(tiny, name).toBeGreaterThan(0);
      expect(tiny, name).toBeLessThan(quarter / 20);
    }
  });

  it('rain and thunderstorms darken the scene', () => {
    for (const name of ['rain', 'thunderstorm'] as const) {
      at(name, 1).forEach((s, i) =>
        expect(s.luminance, `${name} on scene ${i}`).toBeLessThan(base[i]!.luminance),
      );
    }
  });

  it('underwater shifts colour from red to blue-green', () => {
    at('underwater', 1).forEach((s, i) => expect(s.blueGreen).toBeGreaterThan(base[i]!.blueGreen + 0.05));
  });

  it('fire warms the lower half of the picture', () => {
    at('fire', 1).forEach((s, i) => expect(s.lowerWarmth).toBeGreaterThan(base[i]!.lowerWarmth + 0.01));
  });

  it('an explosion adds white-hot light', () => {
    at('explosion', 1).forEach((s, i) => {
      expect(s.hot).toBeGreaterThan(base[i]!.hot + 20);
      expect(s.maxLuminance).toBeGreaterThanOrEqual(base[i]!.maxLuminance);
      expect(s.luminance).toBeGreaterThan(base[i]!.luminance);
    });
  });

  it('wind leaves the layout in place while adding motion', () => {
    bases.slice(0, 4).forEach((p) => {
      const still = renderScene(p, SIZE);
      const windy = renderScene(withSceneEdits(p, { wind: 1 }), SIZE);
      const d = meanAbsDiff(still, windy);
      expect(d).toBeGreaterThan(0.005);
      expect(d).toBeLessThan(0.1);
    });
  });
});

describe('sampleSceneParams', () => {
  it('samples parameters that pass its own checks', () => {
    const rng = new Rng(8);
    for (let i = 0; i < 200; i++) expect(() => checkSceneParams(sampleSceneParams(rng))).not.toThrow();
  });

  it('makes the same draws for every scene, whatever its branches and forced options', () => {
    const plain = drawsPerSample(4, 300, (rng) => sampleSceneParams(rng));
    const forced = drawsPerSample(5, 50, (rng) =>
      sampleSceneParams(rng, { timeOfDay: 0.5, ground: 'sand', edits: { fire: 1 }, detailSeed: 7 }),
    );
    expect(new Set([...plain, ...forced]).size).toBe(1);
  });

  it('draws each edit on its own in independent mode, smoothly and with the asked-for frequency', () => {
    const counts = new Set(
      drawsPerSample(6, 100, (rng) => sampleSceneParams(rng, { editSampling: 'independent' })),
    );
    expect(counts.size).toBe(1);
    const rng = new Rng(9);
    const scenes = Array.from({ length: 600 }, () =>
      sampleSceneParams(rng, { editSampling: 'independent', editProbability: 0.2 }),
    );
    for (const name of SCENE_ATTRIBUTE_NAMES) {
      const share = scenes.filter((p) => p.edits[name] >= 0.25).length / scenes.length;
      expect(share, name).toBeGreaterThan(0.13);
      expect(share, name).toBeLessThan(0.27);
      // No flat "no edit" region: almost every scene carries a trace of every edit.
      expect(scenes.filter((p) => p.edits[name] > 1e-4).length / scenes.length, name).toBeGreaterThan(0.95);
    }
    expect(scenes.every((p) => SCENE_ATTRIBUTE_NAMES.every((n) => p.edits[n] >= 0 && p.edits[n] <= 1))).toBe(
      true,
    );
  });

  it('uses a given detail seed and leaves every other parameter as drawn', () => {
    const drawn = sampleSceneParams(new Rng(21));
    const fixed = sampleSceneParams(new Rng(21), { detailSeed: 99 });
    expect(fixed).toEqual({ ...drawn, seed: 99 });
  });

  it('forces and zeroes attributes on request', () => {
    const rng = new Rng(3);
    for (let i = 0; i < 20; i++) {
      const neutral = sampleSceneParams(rng, { editProbability: 0 });
      expect(SCENE_ATTRIBUTE_NAMES.every((n) => neutral.edits[n] === 0)).toBe(true);
      const rainy = sampleSceneParams(rng, { edits: { rain: 0.8 }, editProbability: 0 });
      expect(rainy.edits.rain).toBe(0.8);
    }
    const mixed = Array.from({ length: 60 }, () => sampleSceneParams(rng));
    const edited = mixed.filter((p) => SCENE_ATTRIBUTE_NAMES.some((n) => p.edits[n] > 0)).length;
    expect(edited).toBeGreaterThan(15);
    expect(edited).toBeLessThan(45);
  });

  it('maps each attribute to the sound class that drives it', () => {
    expect(SCENE_ATTRIBUTES.map((a) => [a.name, a.soundClass])).toEqual([
      ['fire', 'fire_crackling'],
      ['wind', 'wind'],
      ['underwater', 'underwater_bubbling'],
      ['explosion', 'explosion'],
      ['thunderstorm', 'thunderstorm'],
      ['rain', 'rain'],
    ]);
  });
});

const MENTIONS: Record<SceneAttribute, RegExp> = {
  fire: /\b(fire|flames?|blaze)\b/,
  wind: /\b(wind|windy|breeze|gale)\b/,
  underwater: /\b(underwater|water|sea|bubbles)\b/,
  explosion: /\b(explosion|blast|fireball)\b/,
  thunderstorm: /\b(thunderstorm|lightning|storm)\b/,
  rain: /\b(rain|drizzle|downpour)\b/,
};

describe('captionScene', () => {
  const [params] = neutralScenes(1, 8);
  it('names the active attribute, however it is worded', () => {
    const rng = new Rng(1);
    for (const name of SCENE_ATTRIBUTE_NAMES) {
      for (const level of [0.3, 0.7, 1]) {
        for (let k = 0; k < 15; k++) {
          const caption = captionScene(withSceneEdits(params!, { [name]: level }), rng);
          expect(caption, name).toMatch(MENTIONS[name]);
        }
      }
    }
  });

  it('mentions no edit for a neutral scene, and varies its wording', () => {
    const rng = new Rng(2);
    const captions = new Set<string>();
    for (const p of neutralScenes(20)) {
      for (let k = 0; k < 3; k++) {
        const caption = captionScene(p, rng);
        for (const name of SCENE_ATTRIBUTE_NAMES) expect(caption).not.toMatch(MENTIONS[name]);
        captions.add(caption);
      }
    }
    expect(captions.size).toBeGreaterThan(50);
  });

  it('puts the strongest edit first when two are active', () => {
    const rng = new Rng(4);
    for (let k = 0; k < 20; k++) {
      const caption = captionScene(withSceneEdits(params!, { rain: 0.9, wind: 0.4 }), rng);
      expect(caption).toMatch(MENTIONS.rain);
    }
  });
});
