import { hex, luminance, mix, saturate, scale, type Rgb } from '../color.ts';
import { clamp01, smoothstep } from '../scalar.ts';
import type { SceneParams } from './params.ts';

/**
 * Everything that depends on the time of day and the weather, worked out once per scene: the sky
 * ramp, where the sun and moon are, and the ambient light every surface colour is multiplied by.
 * Weather edits act here as much as in their own layers, which is what makes rain read as a dull
 * grey day and a thunderstorm as near-darkness rather than as streaks pasted on a sunny picture.
 */
export interface Lighting {
  /** 0 at night, 1 in full daylight. */
  dayness: number;
  /** Strength of sunrise/sunset colour, 0..1. */
  golden: number;
  sun: { x: number; y: number; elevation: number; color: Rgb };
  moon: { x: number; y: number; elevation: number };
  /** Multiplies every lit surface colour. */
  ambient: Rgb;
  skyTop: Rgb;
  skyMid: Rgb;
  skyHorizon: Rgb;
  /** What distant terrain fades into. */
  haze: Rgb;
  /** 0..1: how much of the sky a cloud deck covers (rain, storms, heavy clouds). */
  overcast: number;
  /** Cloud cover and darkness after weather. */
  cloudAmount: number;
  cloudDarkness: number;
  /** 0..1: how wet the ground looks. */
  wetness: number;
}

const NIGHT_TOP = hex('#040816');
const NIGHT_HORIZON = hex('#1b2545');
const GOLD_TOP = hex('#3a4282');
const GOLD_MID = hex('#c9708a');
const GOLD_HORIZON = hex('#ffa04a');
const RAIN_GREY = hex('#646b74');
const STORM_GREY = hex('#2c3038');

export function computeLighting(params: SceneParams): Lighting {
  const { rain, thunderstorm: storm } = params.edits;
  const phase = 2 * Math.PI * params.timeOfDay;
  const elevation = -Math.cos(phase);
  const dayness = smoothstep(-0.22, 0.28, elevation);
  const golden = Math.exp(-(((elevation - 0.05) / 0.22) ** 2));

  const skyY = (e: number) => params.horizon - e * (params.horizon - 0.1);
  const sunColor = mix(hex('#fff6d8'), hex('#ff8a3a'), golden);
  const sun = { x: 0.5 - 0.42 * Math.sin(phase), y: skyY(elevation), elevation, color: sunColor };
  const moon = { x: 0.5 + 0.42 * Math.sin(phase), y: skyY(-elevation * 0.9), elevation: -elevation };

  const dayTop = params.skyColor;
  const dayHorizon = mix(params.skyColor, hex('#e6eef6'), 0.62);
  let skyTop = mix(NIGHT_TOP, dayTop, dayness);
  let skyHorizon = mix(NIGHT_HORIZON, dayHorizon, dayness);
  let skyMid = mix(skyTop, skyHorizon, 0.5);
  const g = golden * 0.9;
  skyTop = mix(skyTop, GOLD_TOP, g * 0.7);
  skyMid = mix(skyMid, GOLD_MID, g * 0.75);
  skyHorizon = mix(skyHorizon, GOLD_HORIZON, g);

  let ambient = mix(hex('#44507a'), hex('#ffffff'), dayness);
  ambient = mix(ambient, hex('#e8b896'), golden * 0.6);

  const cloudAmount = Math.max(
    params.clouds.amount,
    rain > 0 ? 0.3 + 0.7 * rain : 0,
    storm > 0 ? 0.6 + 0.4 * storm : 0,
  );
  const cloudDarkness = Math.max(params.clouds.darkness, 0.6 * rain, 0.85 * storm);
  const overcast = clamp01(Math.max(0.9 * rain, storm, (params.clouds.amount - 0.6) * 1.5));

  // Overcast skies go grey (light grey for rain, charcoal for storms), dimmed at night like the rest.
  const grey = scale(mix(RAIN_GREY, STORM_GREY, storm), 0.1 + 0.9 * dayness);
  const greyTo = (c: Rgb) => mix(c, mix(grey, scale(grey, luminance(c) * 2), 0.2), overcast * 0.85);
  skyTop = greyTo(skyTop);
  skyMid = greyTo(skyMid);
  skyHorizon = greyTo(mix(skyHorizon, scale(skyHorizon, 1.1), overcast));

  const dim =
    (1 - 0.35 * rain) * (1 - 0.6 * storm) * (1 - 0.2 * params.clouds.darkness * params.clouds.amount);
  ambient = saturate(scale(ambient, dim), 1 - 0.5 * overcast);

  return {
    dayness,
    golden,
    sun,
    moon,
    ambient,
    skyTop,
    skyMid,
    skyHorizon,
    haze: skyHorizon,
    overcast,
    cloudAmount: clamp01(cloudAmount),
    cloudDarkness,
    wetness: Math.max(rain, 0.7 * storm),
  };
}

/** A surface colour under this light. */
export function lit(light: Lighting, c: Rgb): Rgb {
  return [c[0] * light.ambient[0], c[1] * light.ambient[1], c[2] * light.ambient[2]];
}
