import type { EditSettings } from '@soundedit/core';

/** Where a stored edit starts: plain JSON, resolvable by any worker. */
export type StoredSource =
  | { kind: 'seed'; seed: number; truncation?: number }
  /** An uploaded picture (a blob), inverted into W+ by the worker. */
  | { kind: 'image'; imageKey: string }
  /** Another edit's result (its W+ code): remixing a gallery edit. */
  | { kind: 'edit'; editId: string };

/** Everything an edit was asked for, stored with it so it can be rerun or remixed exactly. */
export interface EditParams {
  source: StoredSource;
  soundId?: string;
  text?: string;
  combine?: 'blend' | 'layers';
  textWeight?: number;
  audioLayers?: [number, number];
  /** Scale the guidance weight by the clip's loudness (EditGuidance.loudnessGain). */
  loudnessGain?: boolean;
  /** Only what the request set: the pack's defaults fill the rest when it runs. */
  settings: Partial<Omit<EditSettings, 'previewEvery'>>;
}

/** One optimisation step as stored (losses only). */
export interface StoredStep {
  step: number;
  loss: number;
  cosine: number;
  similarity: number;
  identity?: number;
}

export interface EditMetrics {
  /** cos(E_img(G(w_a)), target) at the end. */
  finalCosine: number;
  identitySimilarity?: number;
  /** ||w_a - w_s|| per W+ layer. */
  layerChange: number[];
  /** The layer weights g at the end. */
  layerWeights: number[];
  /** With an image source: the inversion's reconstruction PSNR (dB). */
  inversionPsnr?: number;
  /** Seconds the optimisation took on the worker. */
  seconds: number;
  /** With loudnessGain: the clip's RMS level (dBFS; null for silence) and the factor applied. */
  soundLevelDb?: number | null;
  loudnessGain?: number;
}
