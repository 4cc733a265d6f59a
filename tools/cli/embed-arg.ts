import {
  embedDatasetAudio,
  loadAudioEncoderFolder,
  type DatasetItem,
  type EmbeddedDataset,
  type LoadedDataset,
} from '@soundedit/core';
import { ProgressBar } from './progress-bar.ts';
import { UsageError } from './usage-error.ts';

/** Embeds a labelled dataset with an encoder folder; returns the kept items' rows and class indices. */
export async function embedLabelled(
  encoderDir: string | undefined,
  dataset: LoadedDataset<DatasetItem>,
  threads: number | undefined,
): Promise<EmbeddedDataset<DatasetItem> & { labels: number[] }> {
  if (!encoderDir) throw new UsageError('--encoder DIR (an exported audio encoder folder) is required');
  if (dataset.classes.length < 2) {
    throw new UsageError(`${dataset.metadataFile}: evaluation needs labels of at least two classes`);
  }
  const unlabelled = dataset.items.filter((i) => i.label === undefined).length;
  if (unlabelled > 0) process.stderr.write(`${unlabelled} item(s) without a label are left out\n`);
  const encoder = await loadAudioEncoderFolder(encoderDir, threads ? { session: { threads } } : {});
  try {
    const bar = new ProgressBar({ label: 'embedding' });
    const embedded = await embedDatasetAudio(
      encoder.embedder,
      dataset.items.filter((i) => i.label !== undefined),
      { onProgress: (done, total) => bar.update(done, total) },
    );
    bar.finish();
    for (const f of embedded.failures.slice(0, 5))
      process.stderr.write(`skipped ${f.item.audioPath}: ${f.message}\n`);
    if (embedded.failures.length > 5) process.stderr.write(`... and ${embedded.failures.length - 5} more\n`);
    const labels = embedded.items.map((i) => dataset.classes.indexOf(i.label!));
    return { ...embedded, labels };
  } finally {
    await encoder.release();
  }
}
