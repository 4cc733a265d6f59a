import type { FrozenEncoder } from '../encoders/frozen-encoder.ts';
import { TrainingError } from './errors.ts';

/**
 * Embeddings of a frozen encoder, each computed once: training sees the same captions, prompt
 * variants and images every epoch, so recomputing them would only cost time.
 */
export class EmbeddingCache {
  private readonly rows = new Map<string, Float32Array>();

  constructor(
    readonly encoder: FrozenEncoder,
    /** Keys per encoder call. */
    private readonly batchSize = 64,
  ) {}

  get size(): number {
    return this.rows.size;
  }

  /** Embeds every key not yet cached, in batches; reports progress in keys. */
  async fill(keys: Iterable<string>, onProgress?: (done: number, total: number) => void): Promise<void> {
    const missing = [...new Set(keys)].filter((k) => !this.rows.has(k));
    const dim = this.encoder.dim;
    for (let first = 0; first < missing.length; first += this.batchSize) {
      const chunk = missing.slice(first, first + this.batchSize);
      const out = await this.encoder.embed(chunk);
      if (out.length !== chunk.length * dim) {
        throw new TrainingError(
          'BAD_DIMENSION',
          `the frozen encoder returned ${out.length} values for ${chunk.length} keys of dimension ${dim}`,
        );
      }
      chunk.forEach((key, i) => {
        const row = out.slice(i * dim, (i + 1) * dim);
        if (!row.every(Number.isFinite)) {
          throw new TrainingError(
            'BAD_DATA',
            `the frozen encoder returned a non-finite embedding for "${key}"`,
          );
        }
        this.rows.set(key, row);
      });
      onProgress?.(first + chunk.length, missing.length);
    }
  }

  /** The cached row of a key; keys must have been filled first. */
  get(key: string): Float32Array {
    const row = this.rows.get(key);
    if (!row) throw new TrainingError('BAD_DATA', `no embedding cached for "${key}"`);
    return row;
  }

  /** Rows for several keys laid end to end: a [keys.length, dim] batch. */
  batch(keys: readonly string[]): Float32Array {
    const dim = this.encoder.dim;
    const out = new Float32Array(keys.length * dim);
    keys.forEach((key, i) => out.set(this.get(key), i * dim));
    return out;
  }
}
