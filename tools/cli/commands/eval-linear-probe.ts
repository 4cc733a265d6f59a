import { writeFile } from 'node:fs/promises';
import { formatLinearProbeTable, linearProbe, linearProbeReportJson } from '@soundedit/core';
import { intFlag, numberFlag, parseFlags, type Command } from '../command.ts';
import { DATASET_HELP, loadDatasetArg } from '../dataset-arg.ts';
import { embedLabelled } from '../embed-arg.ts';

const usage = `soundedit eval-linear-probe --encoder DIR --dataset KIND:PATH [options]

Linear probe: L2-regularised softmax regression (L-BFGS) on frozen embeddings, k-fold
cross-validated (the dataset's own folds when it has them, ESC-50 and UrbanSound8K do), the
regularisation chosen per fold by inner validation.

  --encoder DIR           an exported audio encoder folder
${DATASET_HELP}
  --folds K (5)           folds when the dataset has none
  --l2 X                  one strength instead of the grid search
  --seed N (0)            --json FILE   --threads N`;

export const evalLinearProbe: Command = {
  name: 'eval-linear-probe',
  summary: 'k-fold linear-probe accuracy of a labelled dataset (table + JSON)',
  usage,
  async run(argv) {
    const f = parseFlags(
      argv,
      {
        encoder: { type: 'string' },
        dataset: { type: 'string' },
        folds: { type: 'string' },
        l2: { type: 'string' },
        seed: { type: 'string' },
        json: { type: 'string' },
        threads: { type: 'string' },
      },
      usage,
    );
    const dataset = await loadDatasetArg(f.dataset);
    const embedded = await embedLabelled(f.encoder, dataset, intFlag(f.threads, 'threads'));
    const folds = embedded.items.map((i) => i.fold);
    const hasFolds = folds.every((x) => x !== undefined);
    const l2 = numberFlag(f.l2, 'l2');
    const report = linearProbe(embedded.rows, embedded.labels, dataset.classes, {
      ...(hasFolds ? { foldOf: folds as number[] } : { folds: intFlag(f.folds, 'folds', 5)! }),
      groupOf: embedded.items.map((i) => i.group ?? i.audioPath),
      ...(l2 !== undefined ? { l2 } : {}),
      seed: intFlag(f.seed, 'seed', 0)!,
    });
    process.stdout.write(`${formatLinearProbeTable(report)}\n`);
    if (f.json) {
      await writeFile(f.json, `${JSON.stringify(linearProbeReportJson(report), null, 2)}\n`);
      process.stdout.write(`report written to ${f.json}\n`);
    }
  },
};
