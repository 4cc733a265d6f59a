import { downmix, librosaLogMelDefaults, logMelSpectrogram, type DecodedAudio } from '@soundedit/core';
import { PNG } from 'pngjs';

/** Peak |sample| of the mix in `buckets` equal slices of the clip: a waveform drawing's outline. */
export function waveformPeaks(audio: DecodedAudio, buckets = 200): number[] {
  const mono = downmix(audio.channels);
  const n = Math.max(1, Math.min(buckets, mono.length));
  const peaks: number[] = [];
  for (let b = 0; b < n; b++) {
    const from = Math.floor((b * mono.length) / n);
    const to = Math.floor(((b + 1) * mono.length) / n);
    let peak = 0;
    for (let i = from; i < to; i++) peak = Math.max(peak, Math.abs(mono[i]!));
    peaks.push(Math.round(Math.min(1, peak) * 1000) / 1000);
  }
  return peaks;
}

// Dark blue through magenta and orange to pale yellow: readable in light and dark themes.
const PALETTE: [number, number, number][] = [
  [8, 8, 32],
  [60, 15, 110],
  [150, 35, 120],
  [230, 90, 60],
  [252, 200, 90],
  [252, 252, 190],
];

function colour(v: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, v)) * (PALETTE.length - 1);
  const i = Math.min(PALETTE.length - 2, Math.floor(x));
  const t = x - i;
  const a = PALETTE[i]!;
  const b = PALETTE[i + 1]!;
  return [0, 1, 2].map((c) => Math.round(a[c]! + (b[c]! - a[c]!) * t)) as [number, number, number];
}

/**
 * A log-mel spectrogram picture (64 mel bands, low frequencies at the bottom, 80 dB range) as PNG
 * bytes, at most `maxColumns` frames wide (the hop grows with the clip).
 */
export function spectrogramPng(audio: DecodedAudio, maxColumns = 400): Uint8Array {
  const mono = downmix(audio.channels);
  const base = librosaLogMelDefaults(audio.sampleRate);
  const nFft = 1024;
  const hop = Math.max(256, Math.ceil(mono.length / maxColumns));
  const spec = logMelSpectrogram(mono, {
    ...base,
    nFft,
    winLength: nFft,
    hop,
    nMels: 64,
    ref: 'max',
    topDb: 80,
    normalise: true,
  });
  const png = new PNG({ width: spec.cols, height: spec.rows });
  for (let r = 0; r < spec.rows; r++) {
    const y = spec.rows - 1 - r;
    for (let c = 0; c < spec.cols; c++) {
      const [red, green, blue] = colour(spec.data[r * spec.cols + c]!);
      const at = 4 * (y * spec.cols + c);
      png.data[at] = red;
      png.data[at + 1] = green;
      png.data[at + 2] = blue;
      png.data[at + 3] = 255;
    }
  }
  return new Uint8Array(PNG.sync.write(png));
}
