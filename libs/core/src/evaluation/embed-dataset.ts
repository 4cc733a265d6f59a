import { readFile } from 'node:fs/promises';
import type { DatasetItem } from '../data/dataset.ts';
import type { AudioEmbedder } from '../encoders/audio-resnet/embed-audio.ts';

export interface EmbeddedDataset<T extends DatasetItem> {
  /** Items that embedded, in dataset order. */
  items: T[];
  /** One unit row per kept item. */
  rows: Float32Array[];
  /** Items that could not be read or decoded, with the reason; evaluation goes on without them. */
  failures: { item: T; message: string }[];
}

/**
 * Embeds every clip of a dataset with an encoder (centre crop, as at inference). A file that fails
 * to decode is reported rather than fatal: one bad download should not void a whole evaluation.
 */
export async function embedDatasetAudio<T extends DatasetItem>(
  embedder: AudioEmbedder,
  items: readonly T[],
  options: { onProgress?: (done: number, total: number) => void; signal?: AbortSignal } = {},
): Promise<EmbeddedDataset<T>> {
  const out: EmbeddedDataset<T> = { items: [], rows: [], failures: [] };
  const dim = embedder.config.outputDim;
  const size = embedder.config.batchSize;
  for (let first = 0; first < items.length; first += size) {
    options.signal?.throwIfAborted();
    const chunk = items.slice(first, first + size);
    const ready: { item: T; features: Float32Array }[] = [];
    for (const item of chunk) {
      try {
        const clip = await embedder.prepare(new Uint8Array(await readFile(item.audioPath)));
        ready.push({ item, features: embedder.features(clip) });
      } catch (e) {
        out.failures.push({ item, message: e instanceof Error ? e.message : String(e) });
      }
    }
    if (ready.length > 0) {
      const item = ready[0]!.features.length;
      const batch = new Float32Array(ready.length * item);
      ready.forEach((r, k) => batch.set(r.features, k * item));
      const rows = await embedder.embedFeatures(batch, ready.length, first);
      ready.forEach((r, k) => {
        out.items.push(r.item);
        out.rows.push(rows.slice(k * dim, (k + 1) * dim));
      });
    }
    options.onProgress?.(Math.min(first + size, items.length), items.length);
  }
  return out;
}
