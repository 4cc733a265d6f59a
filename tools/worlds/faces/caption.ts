import type { Rng } from '@soundedit/models';
import { byLevel, choose, withArticle, words } from '../phrase.ts';
import { FACE_EXPRESSION_NAMES, type FaceExpressionName } from './expressions.ts';
import type { FaceIdentity, FaceParams } from './params.ts';

/** Expressions weaker than this are not named. */
const MENTION = 0.15;

function noun(id: FaceIdentity, rng: Rng): string {
  if (rng.next() < 0.25) return 'person';
  return id.presentation === 'feminine'
    ? choose(rng, ['woman', 'woman', 'young woman', 'lady'])
    : choose(rng, ['man', 'man', 'young man', 'guy']);
}

function possessive(subject: string): string {
  if (subject === 'person') return 'their';
  return /woman|lady/.test(subject) ? 'her' : 'his';
}

function hairPhrase(id: FaceIdentity, rng: Rng): string | undefined {
  const c = id.hair.color;
  switch (id.hair.style) {
    case 'bald':
      return undefined;
    case 'short':
      return choose(rng, [`short ${c} hair`, `short ${c} hair`, `cropped ${c} hair`]);
    case 'long':
      return choose(rng, [`long ${c} hair`, `long flowing ${c} hair`]);
    case 'bob':
      return choose(rng, [withArticle(`${c} bob`), `${c} bob-cut hair`]);
    case 'curly':
      return choose(rng, [`curly ${c} hair`, `${c} curls`]);
    case 'bun':
      return choose(rng, [`${c} hair in a bun`, withArticle(`${c} bun`)]);
  }
}

/** Identity details worth saying, most distinctive first; the caption uses one or two. */
function attributePhrases(id: FaceIdentity, rng: Rng): string[] {
  const out: string[] = [];
  if (id.glasses !== 'none') out.push(choose(rng, ['glasses', 'eyeglasses', `${id.glasses} glasses`]));
  if (id.beard !== 'none') {
    out.push(
      {
        stubble: 'stubble',
        moustache: 'a moustache',
        goatee: 'a goatee',
        full: choose(rng, ['a beard', 'a full beard']),
      }[id.beard],
    );
  }
  if (id.hat !== 'none') {
    out.push(
      {
        beanie: choose(rng, ['a beanie', 'a knit hat']),
        cap: choose(rng, ['a cap', 'a baseball cap']),
        fedora: choose(rng, ['a fedora', 'a hat']),
      }[id.hat],
    );
  }
  const hair = hairPhrase(id, rng);
  if (hair !== undefined) out.push(hair);
  if (id.earrings !== 'none') out.push(id.earrings === 'hoops' ? 'hoop earrings' : 'earrings');
  out.push(`${id.eyes.color} eyes`);
  return out;
}

function expressionAdjective(name: FaceExpressionName, level: number, rng: Rng): string {
  // Nose blowing has no adjective that names it except this one; the clauses carry the variety.
  switch (name) {
    case 'giggling':
      return byLevel(rng, level, [
        ['smiling', 'cheerful'],
        ['giggling', 'grinning', 'laughing'],
        ['laughing', 'giggling', 'beaming'],
      ]);
    case 'sobbing':
      return byLevel(rng, level, [
        ['sad', 'teary-eyed'],
        ['crying', 'tearful'],
        ['sobbing', 'weeping', 'crying'],
      ]);
    case 'nose_blowing':
      return 'sniffling';
  }
}

function expressionClause(name: FaceExpressionName, level: number, subject: string, rng: Rng): string {
  const pos = possessive(subject);
  switch (name) {
    case 'giggling':
      return level < 0.4
        ? choose(rng, ['smiling softly', 'with a gentle smile'])
        : choose(rng, [
            'laughing out loud',
            'giggling happily',
            'with a big laugh',
            'laughing with eyes shut',
          ]);
    case 'sobbing':
      return level < 0.4
        ? choose(rng, ['with teary eyes', 'on the verge of tears'])
        : choose(rng, [
            'crying with tears on the cheeks',
            'sobbing',
            'in tears',
            'weeping with tears running down',
          ]);
    case 'nose_blowing':
      return choose(rng, [
        `blowing ${pos} nose into a tissue`,
        `holding a tissue to ${pos} nose`,
        `blowing ${pos} nose`,
        'with a tissue over the nose',
      ]);
  }
}

/** Appends a clause after "with X", turning a second "with" into "and" so it reads naturally. */
function thenClause(clause: string): string {
  return clause.startsWith('with ') ? `and ${clause.slice(5)}` : clause;
}

/**
 * A varied portrait caption: the expression when there is one ("a laughing woman with curly red
 * hair", "a man with glasses blowing his nose into a tissue"), otherwise who the person is.
 */
export function captionFace(params: FaceParams, rng: Rng): string {
  const id = params.identity;
  const subject = noun(id, rng);
  const bald = id.hair.style === 'bald' && rng.next() < 0.7 ? 'bald' : '';
  const attrs = attributePhrases(id, rng);
  const first = attrs[0] ?? `${id.eyes.color} eyes`;
  const pair = attrs.length > 1 ? `${first} and ${attrs[1]}` : first;
  const expr = FACE_EXPRESSION_NAMES.filter((n) => params.expression[n] >= MENTION).sort(
    (a, b) => params.expression[b] - params.expression[a],
  )[0];
  if (expr === undefined) {
    return choose(rng, [
      words(withArticle(words(bald, subject)), 'with', pair),
      words('a portrait of', withArticle(words(bald, subject)), 'with', first),
      words(
        withArticle(words(bald, subject)),
        'with',
        first,
        choose(rng, ['and a neutral expression', 'looking at the camera', 'and a calm face']),
      ),
      words(
        'a close-up photo of',
        withArticle(words(choose(rng, ['calm', 'serious', 'neutral-faced']), bald, subject)),
        'with',
        first,
      ),
    ]);
  }
  const level = params.expression[expr];
  const adjective = expressionAdjective(expr, level, rng);
  return choose(rng, [
    words(withArticle(words(adjective, bald, subject)), 'with', first),
    words(
      withArticle(words(bald, subject)),
      'with',
      first,
      thenClause(expressionClause(expr, level, subject, rng)),
    ),
    words('a portrait of', withArticle(words(adjective, bald, subject)), 'with', pair),
    words(
      'a close-up photo of',
      withArticle(words(bald, subject)),
      expressionClause(expr, level, subject, rng),
    ),
  ]);
}
