import { clamp01, lerp } from './scalar.ts';

/** Linear-ish display RGB, each channel in [0, 1] (values above 1 are allowed while compositing light). */
export type Rgb = readonly [number, number, number];

export function rgb(r: number, g: number, b: number): Rgb {
  return [r, g, b];
}

/** '#rrggbb' to Rgb; palettes read better as hex. */
export function hex(code: string): Rgb {
  const n = Number.parseInt(code.replace('#', ''), 16);
  return [((n >> 16) & 255) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255];
}

export function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [lerp(a[0], b[0], t), lerp(a[1], b[1], t), lerp(a[2], b[2], t)];
}

export function scale(c: Rgb, k: number): Rgb {
  return [c[0] * k, c[1] * k, c[2] * k];
}

export function multiply(a: Rgb, b: Rgb): Rgb {
  return [a[0] * b[0], a[1] * b[1], a[2] * b[2]];
}

export function add(a: Rgb, b: Rgb): Rgb {
  return [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
}

export function luminance(c: Rgb): number {
  return 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2];
}

/** Scales saturation: 0 gives the grey of equal luminance, 1 the colour itself, above 1 more vivid. */
export function saturate(c: Rgb, amount: number): Rgb {
  const l = luminance(c);
  return [
    clamp01(l + (c[0] - l) * amount),
    clamp01(l + (c[1] - l) * amount),
    clamp01(l + (c[2] - l) * amount),
  ];
}

/** A mutable colour, written in place by paints and per-pixel passes so nothing is allocated per pixel. */
export type RgbOut = [number, number, number];

/** Piecewise-linear colour ramp over t in [0, 1]; stops must be sorted by position. */
export interface ColorStop {
  at: number;
  color: Rgb;
}

export function sampleStops(stops: readonly ColorStop[], t: number, out: RgbOut): void {
  const first = stops[0]!;
  if (t <= first.at) {
    out[0] = first.color[0];
    out[1] = first.color[1];
    out[2] = first.color[2];
    return;
  }
  for (let i = 1; i < stops.length; i++) {
    const b = stops[i]!;
    if (t <= b.at) {
      const a = stops[i - 1]!;
      const u = (t - a.at) / Math.max(b.at - a.at, 1e-9);
      out[0] = lerp(a.color[0], b.color[0], u);
      out[1] = lerp(a.color[1], b.color[1], u);
      out[2] = lerp(a.color[2], b.color[2], u);
      return;
    }
  }
  const last = stops[stops.length - 1]!;
  out[0] = last.color[0];
  out[1] = last.color[1];
  out[2] = last.color[2];
}
