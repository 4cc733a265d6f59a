import { hex, mix, type Rgb } from '../color.ts';
import { clamp01 } from '../scalar.ts';

/** Named colours: names go into captions, so each entry is what a person would call it. */
export const HAIR_COLORS = {
  black: hex('#1d1815'),
  'dark brown': hex('#3d2818'),
  brown: hex('#6b4529'),
  auburn: hex('#8c3a1c'),
  red: hex('#b9542a'),
  blonde: hex('#d9b56c'),
  platinum: hex('#e9e1cc'),
  grey: hex('#9c9a98'),
} as const satisfies Record<string, Rgb>;
export type HairColorName = keyof typeof HAIR_COLORS;

export const EYE_COLORS = {
  brown: hex('#6a4024'),
  'dark brown': hex('#3a2416'),
  hazel: hex('#8a7438'),
  green: hex('#4f8a4a'),
  blue: hex('#4a82c8'),
  grey: hex('#7d8c98'),
} as const satisfies Record<string, Rgb>;
export type EyeColorName = keyof typeof EYE_COLORS;

/** Skin from very light to very deep, sampled along measured-looking tones rather than a grey ramp. */
const SKIN_RAMP: readonly Rgb[] = [
  '#f5dccb',
  '#ebc3a4',
  '#d6a27c',
  '#b87e58',
  '#98603f',
  '#74452b',
  '#4e2e1e',
].map(hex);

/** tone 0 (lightest) .. 1 (deepest); warmth 0 (pinker) .. 1 (more golden/olive). */
export function skinColor(tone: number, warmth: number): Rgb {
  const f = clamp01(tone) * (SKIN_RAMP.length - 1);
  const i = Math.min(SKIN_RAMP.length - 2, Math.floor(f));
  const base = mix(SKIN_RAMP[i]!, SKIN_RAMP[i + 1]!, f - i);
  const pink: Rgb = [base[0] * 1.03, base[1] * 0.95, base[2] * 0.97];
  const golden: Rgb = [base[0] * 1.0, base[1] * 1.01, base[2] * 0.88];
  return mix(pink, golden, warmth);
}

export const LIPSTICKS: readonly Rgb[] = ['#b0213a', '#8a2a4a', '#c9566a', '#a8645a'].map(hex);
export const CLOTHES: readonly Rgb[] = [
  '#2d3a56',
  '#7a2630',
  '#e8e4dc',
  '#3d6b4a',
  '#262628',
  '#c98a3a',
  '#5a7ab0',
  '#8a6a9a',
  '#b8b2a6',
].map(hex);
export const FRAMES: readonly Rgb[] = ['#18181a', '#5a3418', '#b8963a', '#a8acb0'].map(hex);
export const HATS: readonly Rgb[] = ['#a8302a', '#2a3a5a', '#3a3a3a', '#d8c8a0', '#3a6a4a', '#c8a040'].map(
  hex,
);
export const BACKGROUNDS: readonly Rgb[] = [
  '#c8ccd2',
  '#8fa4b8',
  '#a8b89a',
  '#d8c8b0',
  '#6a7a6a',
  '#b0a0a8',
  '#e6e2da',
  '#5a6a82',
  '#9a8a6a',
].map(hex);
