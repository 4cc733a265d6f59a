import { createSession, type Model, type SessionOptions } from '@soundedit/models';
import type { DatasetItem } from '../data/dataset.ts';
import { inputFrames } from '../encoders/audio-resnet/config.ts';
import { AudioEmbedder } from '../encoders/audio-resnet/embed-audio.ts';
import {
  DEFAULT_PROMPT_TEMPLATES,
  promptsFor,
  spokenLabel,
  zeroShotClassify,
} from '../evaluation/zero-shot.ts';
import type { EmbeddingCache } from './frozen-embeddings.ts';
import { copyWindow, windowStart, type TrainingClip } from './training-clips.ts';
import type { ValidationMetrics } from './training-events.ts';
import type { RunSettings } from './trainer-options.ts';

export interface ValidationContext {
  settings: RunSettings;
  step: number;
  items: readonly DatasetItem[];
  /** Per item, its caption (or label caption), when it has one. */
  captions: readonly (string | undefined)[];
  classes?: readonly string[] | undefined;
  text?: EmbeddingCache | undefined;
  promptTemplates?: readonly string[] | undefined;
  classPrompts?: Readonly<Record<string, readonly string[]>> | undefined;
  session?: SessionOptions | undefined;
}

/**
 * Embeds the validation clips (centre windows) with the encoder in inference form and scores them:
 * cosine to their own captions and zero-shot classification against class prompts.
 */
export async function validateEncoder(
  model: Model,
  clips: readonly TrainingClip[],
  ctx: ValidationContext,
): Promise<ValidationMetrics> {
  const audio = await embedClips(model, clips, ctx.settings, ctx.session);
  const metrics: ValidationMetrics = { step: ctx.step, clips: clips.length };
  const text = ctx.text;
  if (!text) return metrics;

  const captioned = ctx.captions.flatMap((c, i) => (c === undefined ? [] : [{ caption: c, row: audio[i]! }]));
  if (captioned.length > 0) {
    await text.fill(captioned.map((c) => c.caption));
    const total = captioned.reduce((sum, c) => sum + cosine(c.row, text.get(c.caption)), 0);
    metrics.captionCosine = total / captioned.length;
  }

  const classes = ctx.classes ?? [];
  const labelled = ctx.items.flatMap((item, i) => {
    const label = item.label === undefined ? -1 : classes.indexOf(item.label);
    return label < 0 ? [] : [{ label, row: audio[i]! }];
  });
  if (classes.length >= 2 && labelled.length > 0) {
    const templates = ctx.promptTemplates ?? DEFAULT_PROMPT_TEMPLATES;
    const prompts = classes.map((name) => [
      ...(ctx.classPrompts?.[name] ?? promptsFor(spokenLabel(name), templates)),
    ]);
    await text.fill(prompts.flat());
    const report = zeroShotClassify({
      audio: labelled.map((l) => l.row),
      labels: labelled.map((l) => l.label),
      classNames: [...classes],
      classPrompts: prompts.map((list) => list.map((p) => text.get(p))),
      topK: [1, 5],
    });
    metrics.zeroShotTop1 = report.topK[1]!;
    const top5 = report.topK[5];
    if (top5 !== undefined) metrics.zeroShotTop5 = top5;
    metrics.chanceTop1 = report.chance[1]!;
  }
  return metrics;
}

/** Centre windows of the clips through a fresh inference session; one unit row per clip. */
export async function embedClips(
  model: Model,
  clips: readonly TrainingClip[],
  settings: RunSettings,
  session: SessionOptions = {},
): Promise<Float32Array[]> {
  const s = await createSession(model, { ...session, cache: false });
  try {
    const embedder = new AudioEmbedder(s, settings.encoder);
    const frames = inputFrames(settings.encoder);
    const item = settings.encoder.logMel.nMels * frames;
    const dim = settings.encoder.outputDim;
    const rows: Float32Array[] = [];
    const size = settings.encoder.batchSize;
    for (let first = 0; first < clips.length; first += size) {
      const chunk = clips.slice(first, first + size);
      const batch = new Float32Array(chunk.length * item);
      chunk.forEach((clip, k) => copyWindow(clip, windowStart(clip, frames), frames, batch, k * item));
      const out = await embedder.embedFeatures(batch, chunk.length, first);
      for (let k = 0; k < chunk.length; k++) rows.push(out.slice(k * dim, (k + 1) * dim));
    }
    return rows;
  } finally {
    await s.release();
  }
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return dot / Math.max(Math.sqrt(na * nb), 1e-12);
}
