import type { Rng } from '@soundedit/models';

/** Small helpers for assembling captions; they live apart so both worlds word things the same way. */

export function choose<T>(rng: Rng, options: readonly T[]): T {
  return options[Math.floor(rng.next() * options.length)]!;
}

/** 'a' or 'an' before a noun phrase, by its first letter (good enough for this vocabulary). */
export function withArticle(phrase: string): string {
  return `${/^[aeiou]/i.test(phrase) ? 'an' : 'a'} ${phrase}`;
}

/** Joins words and drops empty ones, so optional parts leave no double spaces. */
export function words(...parts: (string | undefined)[]): string {
  return parts.filter((p) => p !== undefined && p !== '').join(' ');
}

/** Picks a word for a strength from [weak, medium, strong] lists. */
export function byLevel(
  rng: Rng,
  level: number,
  options: readonly [readonly string[], readonly string[], readonly string[]],
): string {
  return choose(rng, options[level < 0.4 ? 0 : level < 0.75 ? 1 : 2]);
}
