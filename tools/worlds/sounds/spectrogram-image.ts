/** Log-mel spectrograms as pictures, so a person can see what each class sounds like. */
import { LogMelExtractor, librosaLogMelDefaults } from '@soundedit/core';
import { PNG } from 'pngjs';

/** RGBA pixels, row-major, top row first. */
export interface Picture {
  width: number;
  height: number;
  rgba: Uint8Array;
}

/** Dark purple -> red -> orange -> pale yellow: quiet cells recede, loud ones stand out. */
const STOPS: readonly (readonly [number, number, number])[] = [
  [0, 0, 4],
  [80, 18, 123],
  [183, 55, 121],
  [252, 137, 97],
  [252, 253, 191],
];

export function colourOf(v: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, v)) * (STOPS.length - 1);
  const k = Math.min(STOPS.length - 2, Math.floor(x));
  const f = x - k;
  const a = STOPS[k] as readonly number[];
  const b = STOPS[k + 1] as readonly number[];
  return [0, 1, 2].map((c) => Math.round((a[c] as number) * (1 - f) + (b[c] as number) * f)) as [
    number,
    number,
    number,
  ];
}

const extractors = new Map<number, LogMelExtractor>();

/** librosa-default log-mel (128 mels, hop 512), low frequencies at the bottom, 80 dB below the clip's peak is black. */
export function spectrogramPicture(samples: Float32Array, sampleRate: number): Picture {
  let extractor = extractors.get(sampleRate);
  if (extractor === undefined) {
    extractor = new LogMelExtractor(librosaLogMelDefaults(sampleRate));
    extractors.set(sampleRate, extractor);
  }
  const spec = extractor.compute(samples);
  let max = -Infinity;
  for (const v of spec.data) max = Math.max(max, v);
  const { rows, cols } = spec;
  const rgba = new Uint8Array(rows * cols * 4);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = ((spec.data[r * cols + c] as number) - (max - 80)) / 80;
      const at = ((rows - 1 - r) * cols + c) * 4;
      rgba.set([...colourOf(v), 255], at);
    }
  }
  return { width: cols, height: rows, rgba };
}

/** Lays pictures out in rows (one row per list), with a grey gap between them. */
export function tile(rows: readonly (readonly Picture[])[], gap = 4): Picture {
  const width = Math.max(1, ...rows.map((r) => r.reduce((w, p) => w + p.width + gap, gap)));
  const heights = rows.map((r) => Math.max(1, ...r.map((p) => p.height)));
  const height = heights.reduce((h, rh) => h + rh + gap, gap);
  const rgba = new Uint8Array(width * height * 4).fill(96);
  let y = gap;
  rows.forEach((row, k) => {
    let x = gap;
    for (const p of row) {
      for (let r = 0; r < p.height; r++) {
        rgba.set(p.rgba.subarray(r * p.width * 4, (r + 1) * p.width * 4), ((y + r) * width + x) * 4);
      }
      x += p.width + gap;
    }
    y += (heights[k] as number) + gap;
  });
  return { width, height, rgba };
}

export function encodePng(picture: Picture): Buffer {
  const png = new PNG({ width: picture.width, height: picture.height });
  png.data = Buffer.from(picture.rgba);
  return PNG.sync.write(png);
}
