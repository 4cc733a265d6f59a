import {
  loadCsvDataset,
  loadEsc50,
  loadSharedSounds,
  loadUrbanSound8K,
  loadVggSound,
  type DatasetItem,
  type LoadedDataset,
} from '@soundedit/core';
import { UsageError } from './usage-error.ts';

export const DATASET_KINDS = ['csv', 'esc50', 'urbansound8k', 'vggsound', 'shared'] as const;

export const DATASET_HELP = `--dataset KIND:PATH   where KIND is
    csv:FILE.csv            columns audio, caption and/or label[, image][, fold][, group]
    esc50:DIR               ESC-50 (meta/esc50.csv, audio/)
    urbansound8k:DIR        UrbanSound8K (metadata/UrbanSound8K.csv, audio/foldN/)
    vggsound:FILE.csv,DIR   VGGSound's headerless metadata and the folder of clips
    shared:DIR              soundedit's shared recordings (../shared/data/sounds)`;

/** Loads `KIND:PATH`, reporting skipped rows on stderr; refuses a dataset with nothing usable. */
export async function loadDatasetArg(spec: string | undefined): Promise<LoadedDataset<DatasetItem>> {
  if (!spec) throw new UsageError(`--dataset is required\n${DATASET_HELP}`);
  const colon = spec.indexOf(':');
  const kind = colon > 0 ? spec.slice(0, colon) : '';
  const where = spec.slice(colon + 1);
  let dataset: LoadedDataset<DatasetItem>;
  switch (kind) {
    case 'csv':
      dataset = await loadCsvDataset(where);
      break;
    case 'esc50':
      dataset = await loadEsc50(where);
      break;
    case 'urbansound8k':
      dataset = await loadUrbanSound8K(where);
      break;
    case 'shared':
      dataset = await loadSharedSounds(where);
      break;
    case 'vggsound': {
      const [csv, dir] = where.split(',');
      if (!csv || !dir)
        throw new UsageError('vggsound takes the metadata file and the clip folder: vggsound:FILE.csv,DIR');
      dataset = await loadVggSound(csv, dir);
      break;
    }
    default:
      throw new UsageError(`unknown dataset kind in '${spec}'\n${DATASET_HELP}`);
  }
  if (dataset.problems.length > 0) {
    process.stderr.write(
      `${dataset.metadataFile}: ${dataset.problems.length} row(s) skipped; first: ${dataset.problems[0]!.message}\n`,
    );
  }
  return dataset;
}
