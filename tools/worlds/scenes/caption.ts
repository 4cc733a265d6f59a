import type { Rng } from '@soundedit/models';
import { byLevel, choose, withArticle, words } from '../phrase.ts';
import type { SceneAttribute } from './attributes.ts';
import { SCENE_ATTRIBUTE_NAMES } from './attributes.ts';
import { computeLighting } from './lighting.ts';
import type { SceneParams } from './params.ts';

/** Edits weaker than this are left out of captions: barely visible, so not worth naming. */
const MENTION = 0.15;

const GROUND_ADJ = {
  grass: ['green', 'grassy', 'lush green'],
  sand: ['sandy', 'desert'],
  snow: ['snowy', 'snow-covered', 'wintry'],
  rock: ['rocky', 'barren', 'stony'],
} as const;

const OPEN_LAND = {
  grass: ['fields', 'a meadow', 'green fields', 'grassland'],
  sand: ['a desert', 'sand dunes', 'the desert'],
  snow: ['a snowfield', 'a snowy plain', 'snowy fields'],
  rock: ['a rocky plain', 'a barren wasteland', 'rocky ground'],
} as const;

function timeOfDayPhrase(params: SceneParams, rng: Rng): string {
  const light = computeLighting(params);
  const morning = params.timeOfDay < 0.5;
  if (light.dayness < 0.25)
    return choose(rng, ['at night', 'at night', 'after dark', 'in the middle of the night']);
  if (light.golden > 0.35) {
    return morning
      ? choose(rng, ['at dawn', 'at sunrise', 'in the early morning'])
      : choose(rng, ['at dusk', 'at sunset', 'in the evening']);
  }
  return choose(rng, ['in daylight', 'during the day', 'at midday', 'in the afternoon']);
}

function skyPhrase(params: SceneParams, rng: Rng): string {
  const light = computeLighting(params);
  if (light.overcast > 0.5)
    return choose(rng, ['under a grey sky', 'under heavy clouds', 'under an overcast sky']);
  if (light.dayness < 0.25)
    return light.cloudAmount < 0.4
      ? choose(rng, ['under a starry sky', 'under the stars'])
      : 'under a cloudy night sky';
  if (light.cloudAmount > 0.5) return choose(rng, ['under a cloudy sky', 'with clouds overhead']);
  if (light.cloudAmount < 0.15 && light.golden < 0.35)
    return choose(rng, ['under a clear blue sky', 'under a blue sky']);
  return choose(rng, ['under a partly cloudy sky', 'with a few clouds in the sky']);
}

/** The buildings as a noun phrase with its article, or undefined for open country. */
function settlementPhrase(params: SceneParams, rng: Rng): string | undefined {
  const b = params.buildings;
  if (b.length === 0) return undefined;
  const towers = b.filter((x) => x.roofStyle === 'flat').length;
  if (b.length === 1) {
    return towers
      ? choose(rng, ['a tower', 'a tall building'])
      : choose(rng, ['a house', 'a cottage', 'a farmhouse']);
  }
  if (b.length <= 3) return choose(rng, ['a hamlet', 'a few houses', 'a cluster of houses']);
  return towers > 0
    ? choose(rng, ['a town', 'a small town', 'a city'])
    : choose(rng, ['a village', 'a small village']);
}

/** Adjectives that sit well directly before a building noun ("a snowy village", "a desert town"). */
const SETTLEMENT_ADJ = { grass: [], sand: ['desert'], snow: ['snowy', 'snow-covered'], rock: [] } as const;

/** Where something stands: "in the mountains", "on green hills", "in the desert". */
function locationPhrase(params: SceneParams, rng: Rng): string {
  const adj = choose(rng, GROUND_ADJ[params.ground]);
  if (params.relief === 'mountains') {
    return choose(rng, [
      'in the mountains',
      `in ${mountainsPhrase(params, rng)}`,
      'at the foot of the mountains',
    ]);
  }
  if (params.relief === 'hills') return choose(rng, [`on ${adj} hills`, `among ${adj} hills`]);
  return `in ${choose(rng, OPEN_LAND[params.ground])}`;
}

function mountainsPhrase(params: SceneParams, rng: Rng): string {
  switch (params.ground) {
    case 'snow':
      return choose(rng, ['snowy mountains', 'snow-capped mountains']);
    case 'rock':
      return choose(rng, ['rocky mountains', 'barren mountains']);
    case 'sand':
      return choose(rng, ['desert mountains', 'mountains above the desert']);
    case 'grass':
      return choose(rng, [
        'mountains above green fields',
        'green valleys below mountains',
        'green mountains',
      ]);
  }
}

/** Open country without buildings: "green hills", "snowy mountains", "a desert". */
function terrainPhrase(params: SceneParams, rng: Rng): string {
  if (params.relief === 'mountains') return mountainsPhrase(params, rng);
  if (params.relief === 'hills') return `${choose(rng, GROUND_ADJ[params.ground])} hills`;
  return choose(rng, OPEN_LAND[params.ground]);
}

function treesPhrase(params: SceneParams, rng: Rng): string | undefined {
  const n = params.trees.length;
  if (n === 0) return undefined;
  const kind = params.trees[0]!.kind;
  if (n === 1) return kind === 'palm' ? 'a palm tree' : 'a lone tree';
  if (kind === 'palm') return 'palm trees';
  if (n >= 7)
    return kind === 'conifer'
      ? choose(rng, ['a pine forest', 'pine trees'])
      : choose(rng, ['woods', 'many trees']);
  return choose(rng, ['a few trees', 'scattered trees']);
}

/** The place, as a noun phrase: "a snowy village", "a house on green hills", "green hills with a few trees". */
function subjectPhrase(params: SceneParams, rng: Rng): string {
  const town = settlementPhrase(params, rng);
  if (town !== undefined) {
    const adjectives: readonly string[] = SETTLEMENT_ADJ[params.ground];
    const single = /^an? (house|cottage|farmhouse|village|town|hamlet)$/.test(town);
    if (single && adjectives.length > 0 && rng.next() < 0.6) {
      return withArticle(`${choose(rng, adjectives)} ${town.replace(/^an? /, '')}`);
    }
    return `${town} ${locationPhrase(params, rng)}`;
  }
  const land = terrainPhrase(params, rng);
  const trees = treesPhrase(params, rng);
  return trees !== undefined && rng.next() < 0.6 ? `${land} with ${trees}` : land;
}

/** A noun phrase for an edit at a strength ("heavy rain", "a raging fire"). */
function editNoun(name: SceneAttribute, level: number, rng: Rng): string {
  switch (name) {
    case 'fire':
      return byLevel(rng, level, [
        ['a small fire', 'some flames'],
        ['a fire', 'flames and smoke'],
        ['a raging fire', 'a huge blaze', 'roaring flames'],
      ]);
    case 'wind':
      return byLevel(rng, level, [
        ['a breeze', 'a light wind'],
        ['wind', 'a gusty wind'],
        ['a strong wind', 'a gale', 'a howling wind'],
      ]);
    case 'underwater':
      return byLevel(rng, level, [
        ['murky water', 'water'],
        ['water all around', 'rising bubbles'],
        ['deep water', 'bubbles and caustic light'],
      ]);
    case 'explosion':
      return byLevel(rng, level, [
        ['a small explosion', 'a blast'],
        ['an explosion', 'a fireball'],
        ['a huge explosion', 'a massive blast', 'a giant fireball'],
      ]);
    case 'thunderstorm':
      return byLevel(rng, level, [
        ['a distant thunderstorm', 'a storm'],
        ['a thunderstorm', 'lightning'],
        ['a violent thunderstorm', 'a lightning storm'],
      ]);
    case 'rain':
      return byLevel(rng, level, [
        ['light rain', 'a drizzle'],
        ['rain', 'steady rain'],
        ['heavy rain', 'a downpour', 'pouring rain'],
      ]);
  }
}

/** The edit placed relative to the place: "heavy rain over a village", "green hills under deep water". */
function editAround(name: SceneAttribute, level: number, subject: string, rng: Rng): string {
  if (name === 'underwater') {
    return `${subject} under ${byLevel(rng, level, [
      ['murky water', 'shallow water'],
      ['water', 'the sea'],
      ['deep water', 'the deep sea'],
    ])}`;
  }
  return `${editNoun(name, level, rng)} ${name === 'fire' ? 'in' : 'over'} ${subject}`;
}

/** A whole clause built around the place, for variety ("rain falling on green hills"). */
function editClause(
  name: SceneAttribute,
  level: number,
  subject: string,
  params: SceneParams,
  rng: Rng,
): string {
  const strong = level >= 0.6;
  switch (name) {
    case 'fire':
      return choose(rng, [
        `${subject} on fire`,
        `flames and smoke rising from ${subject}`,
        `a fire burning in ${subject}`,
      ]);
    case 'wind':
      return choose(rng, [
        `${subject} on a windy day`,
        `${strong ? 'a strong wind' : 'wind'} blowing over ${subject}`,
        ...(params.trees.length > 0 ? [`trees bending in the wind in ${subject}`] : []),
      ]);
    case 'underwater':
      return choose(rng, [
        `${subject} underwater`,
        `an underwater view of ${subject}`,
        `${subject} beneath the sea with bubbles rising`,
        `${subject} submerged under water`,
      ]);
    case 'explosion':
      return choose(rng, [
        `${strong ? 'a huge explosion' : 'an explosion'} over ${subject}`,
        `a fireball exploding in ${subject}`,
        `${subject} shaken by a blast`,
      ]);
    case 'thunderstorm':
      return choose(rng, [
        `lightning striking ${subject}`,
        `a thunderstorm over ${subject}`,
        `${subject} during a thunderstorm`,
      ]);
    case 'rain':
      return choose(rng, [
        `rain falling on ${subject}`,
        `${subject} in the ${strong ? 'pouring ' : ''}rain`,
        `${strong ? 'heavy ' : ''}rain over ${subject}`,
      ]);
  }
}

/**
 * A natural, varied caption: the strongest edit(s) when present, the place, time and sky
 * otherwise. Different `rng` draws give different wordings of the same scene, which the text
 * encoder needs to learn meaning rather than templates.
 */
export function captionScene(params: SceneParams, rng: Rng): string {
  const active = SCENE_ATTRIBUTE_NAMES.filter((n) => params.edits[n] >= MENTION).sort(
    (a, b) => params.edits[b] - params.edits[a],
  );
  const subject = subjectPhrase(params, rng);
  const when = timeOfDayPhrase(params, rng);
  if (active.length === 0) {
    const sky = skyPhrase(params, rng);
    return choose(rng, [
      words(subject, when),
      words(subject, sky),
      words('a photo of', subject, when),
      words('a landscape of', subject, when, sky),
      words(subject, when, sky),
    ]);
  }
  const first = active[0]!;
  const level = params.edits[first];
  const second = active[1];
  const also = second === undefined ? '' : `and ${editNoun(second, params.edits[second], rng)}`;
  const withAlso = second === undefined ? '' : `with ${editNoun(second, params.edits[second], rng)}`;
  return choose(rng, [
    words(subject, when, 'with', editNoun(first, level, rng), also),
    words(editClause(first, level, subject, params, rng), when, withAlso),
    words('a photo of', editClause(first, level, subject, params, rng), withAlso),
    words(editAround(first, level, subject, rng), when, withAlso),
  ]);
}
