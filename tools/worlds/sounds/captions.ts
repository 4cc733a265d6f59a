/**
 * Captions in varied everyday wording, built from what was actually rendered (who laughs, how hard it
 * rains, how far the thunder is), so text and audio agree. Contrastive training sees many phrasings
 * of one event and learns the event, not one sentence.
 */
import type { Rng } from '@soundedit/models';
import type { SoundClass, SoundTraits } from './classes/sound-class.ts';
import { chance, pick } from './random.ts';

/** Words that every caption of a class contains at least one of: the tests hold captions to them. */
export const CLASS_KEYWORDS: Readonly<Record<SoundClass, RegExp>> = {
  giggling: /giggl|laugh/,
  sobbing: /sob|cry|wail|weep/,
  nose_blowing: /nose/,
  fire_crackling: /fire|bonfire|fireplace|campfire/,
  wind: /wind|breeze|gale/,
  underwater_bubbling: /bubbl|underwater/,
  explosion: /explo|blast|bomb/,
  thunderstorm: /thunder/,
  rain: /rain|drizzle|downpour/,
  ambient: /quiet|silen|room|hum|ambien|background|calm|peaceful/,
};

function who(traits: SoundTraits): string[] {
  switch (traits.voice) {
    case 'child':
      return ['a child', 'a little girl', 'a small boy', 'a toddler', 'a kid'];
    case 'woman':
      return ['a woman', 'a girl', 'a young woman', 'a lady'];
    case 'man':
      return ['a man', 'a guy', 'an old man', 'a young man'];
    default:
      return ['someone', 'a person'];
  }
}

const TIMES = ['once', 'twice', 'three times'];

type Phrases = (rng: Rng, t: SoundTraits) => string[];

/** Whole descriptions of one sound on its own. */
const PHRASES: Readonly<Record<SoundClass, Phrases>> = {
  giggling: (rng, t) => {
    const w = pick(rng, who(t));
    return {
      light: [
        `${w} giggling softly`,
        'someone laughing softly',
        `${w} giggles quietly`,
        `soft giggles from ${w}`,
      ],
      moderate: [
        `${w} giggling`,
        `${w} laughing`,
        'giggling',
        `${w} giggles`,
        `a giggling ${t.voice ?? 'person'}`,
      ],
      heavy: [
        `${w} laughing hard`,
        `${w} giggling uncontrollably`,
        'a fit of giggles',
        'loud giggling and laughter',
      ],
    }[t.intensity];
  },
  sobbing: (rng, t) => {
    const w = pick(rng, who(t));
    return {
      light: [`${w} sobbing quietly`, 'someone crying softly', 'quiet sobs and sniffles', `${w} weeping`],
      moderate: [`${w} sobbing`, `${w} crying`, 'sobbing', 'a person crying and sniffling'],
      heavy: [`${w} crying hard`, `${w} sobbing loudly`, 'loud sobbing', `${w} wailing and sobbing`],
    }[t.intensity];
  },
  nose_blowing: (rng, t) => [
    'someone blowing their nose',
    'a person blowing their nose',
    'nose blowing',
    'a loud nose blow into a tissue',
    `blowing a nose ${TIMES[(t.events ?? 1) - 1] ?? 'a few times'}`,
    `${pick(rng, who(t))} blowing a runny nose`,
  ],
  fire_crackling: (_rng, t) => {
    const byKind: Record<string, string[]> = {
      campfire: ['a campfire crackling', 'a crackling campfire', 'a fire crackling outdoors'],
      fireplace: ['a fireplace crackling', 'logs crackling in a fireplace', 'a crackling fire in the hearth'],
      bonfire: ['a roaring bonfire', 'a big fire crackling and roaring', 'a bonfire burning'],
    };
    const byIntensity = {
      light: ['a small fire gently crackling', 'embers of a fire softly crackling'],
      moderate: ['fire crackling', 'a wood fire burning and crackling'],
      heavy: ['a fire crackling and popping loudly', 'a blazing fire popping'],
    }[t.intensity];
    return [...(byKind[t.variant ?? 'campfire'] ?? []), ...byIntensity];
  },
  wind: (_rng, t) =>
    ({
      breeze: ['a gentle breeze', 'light wind blowing', 'soft wind', 'a breeze blowing steadily'],
      gusty: ['gusty wind', 'strong wind gusts', 'wind blowing in gusts', 'the wind picking up'],
      howling: ['howling wind', 'wind whistling and howling', 'a howling gale', 'a strong wind whistling'],
    })[t.variant ?? 'gusty'] ?? ['wind blowing'],
  underwater_bubbling: (_rng, t) =>
    ({
      light: [
        'a few bubbles underwater',
        'bubbles rising slowly underwater',
        'occasional underwater bubbling',
      ],
      moderate: [
        'bubbles underwater',
        'underwater bubbling',
        'air bubbles rising underwater',
        'water bubbling',
      ],
      heavy: [
        'a stream of bubbles churning underwater',
        'a diver exhaling bubbles',
        'gurgling bubbles under water',
      ],
    })[t.intensity],
  explosion: (_rng, t) => {
    if ((t.events ?? 1) > 1)
      return ['several explosions', 'a series of blasts', 'explosions going off one after another'];
    return t.distance === 'distant'
      ? ['a distant explosion', 'an explosion far away', 'a far-off blast rumbling']
      : ['a loud explosion', 'an explosion', 'a bomb exploding nearby', 'a powerful blast'];
  },
  thunderstorm: (_rng, t) =>
    t.distance === 'distant'
      ? [
          'distant thunder',
          'thunder rumbling in the distance',
          'a rolling rumble of thunder',
          'a thunderstorm far away',
        ]
      : ['a thunderclap', 'loud thunder cracking', 'thunder crashing overhead', 'a thunderstorm'],
  rain: (_rng, t) =>
    ({
      light: ['light rain', 'a light drizzle', 'gentle rain falling', 'soft rain pattering'],
      moderate: ['rain', 'rain falling', 'steady rain', 'rainfall on the ground'],
      heavy: ['heavy rain', 'a downpour', 'pouring rain', 'torrential rain'],
    })[t.intensity],
  ambient: (_rng, t) =>
    ({
      room: ['a quiet room', 'silence', 'faint room tone', 'an empty, quiet room', 'quiet background noise'],
      outdoor: [
        'a calm afternoon outdoors',
        'quiet outdoor ambience with birds',
        'a peaceful park',
        'quiet countryside ambience',
      ],
      hum: [
        'a quiet electrical hum',
        'the hum of a refrigerator',
        'a low hum in a quiet room',
        'an appliance humming quietly',
      ],
    })[t.variant ?? 'room'] ?? ['quiet background noise'],
};

/** Short forms used inside a mixture caption ("heavy rain with *distant thunder*"). */
const SHORT: Partial<Readonly<Record<SoundClass, Phrases>>> = {
  thunderstorm: (_rng, t) =>
    t.distance === 'distant' ? ['distant thunder', 'rolling thunder'] : ['loud thunder', 'thunderclaps'],
  rain: (_rng, t) =>
    ({
      light: ['light rain', 'drizzle'],
      moderate: ['rain', 'steady rain'],
      heavy: ['heavy rain', 'pouring rain'],
    })[t.intensity],
  wind: (_rng, t) =>
    t.intensity === 'light'
      ? ['a light breeze', 'a soft wind']
      : ['strong wind', 'gusts of wind', 'howling wind'],
  fire_crackling: () => ['a crackling fire', 'a campfire', 'a fire'],
};

interface Part {
  label: SoundClass;
  traits: SoundTraits;
}

function phrase(rng: Rng, p: Part): string {
  return pick(rng, PHRASES[p.label](rng, p.traits));
}

function short(rng: Rng, p: Part): string {
  return pick(rng, (SHORT[p.label] ?? PHRASES[p.label])(rng, p.traits));
}

/** Pair-specific wordings; anything else gets a generic "A with B". */
function pairCaption(rng: Rng, a: Part, b: Part): string {
  const key = `${a.label}+${b.label}`;
  const A = short(rng, a);
  const B = short(rng, b);
  const special: Record<string, string[]> = {
    'thunderstorm+rain': [`a thunderstorm with ${B}`, `${A} and ${B}`, `${B} falling during ${A}`],
    'rain+thunderstorm': [`${A} with ${B}`, `${A} and ${B} in a storm`],
    'fire_crackling+wind': [`a campfire crackling in the wind`, `${A} in ${B}`, `${A} with the wind blowing`],
    'rain+wind': [`${A} and ${B}`, `${A} blown by the wind`, `windy weather with ${A}`],
    'wind+rain': [`${A} with ${B}`, `${A} driving ${B}`],
  };
  return pick(
    rng,
    special[key] ?? [`${phrase(rng, a)} with ${short(rng, b)}`, `${phrase(rng, a)} and ${short(rng, b)}`],
  );
}

/**
 * A caption for the components of a clip, the first being the labelled sound. An ambient bed under
 * another sound is not mentioned: it is what "no edit" sounds like, not part of the event.
 */
export function captionFor(rng: Rng, parts: readonly Part[]): string {
  const [main, ...rest] = parts;
  if (main === undefined) throw new RangeError('captionFor needs at least one component');
  const other = rest.find((p) => p.label !== 'ambient');
  const text = other === undefined ? phrase(rng, main) : pairCaption(rng, main, other);
  return chance(rng, 0.2) ? `${pick(rng, ['the sound of', 'a recording of', 'sound of'])} ${text}` : text;
}
