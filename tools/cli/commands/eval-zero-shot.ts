import { writeFile } from 'node:fs/promises';
import {
  DEFAULT_PROMPT_TEMPLATES,
  formatZeroShotTable,
  promptsFor,
  spokenLabel,
  TextEncoder,
  zeroShotClassify,
  zeroShotReportJson,
} from '@soundedit/core';
import { intFlag, parseFlags, type Command } from '../command.ts';
import { DATASET_HELP, loadDatasetArg } from '../dataset-arg.ts';
import { embedLabelled } from '../embed-arg.ts';
import { UsageError } from '../usage-error.ts';

const usage = `soundedit eval-zero-shot --encoder DIR --text-encoder DIR --dataset KIND:PATH [--json FILE]

Zero-shot classification: each clip's embedding against its classes' prompt embeddings (prompt
ensembling over the templates); prints top-1/top-5, per-class recall and the confusion matrix.

  --encoder DIR           an exported audio encoder folder (train-audio writes RUN/export)
  --text-encoder DIR      the frozen text encoder of the same embedding space
${DATASET_HELP}
  --templates "A|B"       prompt templates with {label} (default: ${DEFAULT_PROMPT_TEMPLATES.join(' | ')})
  --json FILE             also write the report as JSON
  --threads N`;

export const evalZeroShot: Command = {
  name: 'eval-zero-shot',
  summary: 'zero-shot classification of a labelled dataset (table + JSON)',
  usage,
  async run(argv) {
    const f = parseFlags(
      argv,
      {
        encoder: { type: 'string' },
        'text-encoder': { type: 'string' },
        dataset: { type: 'string' },
        templates: { type: 'string' },
        json: { type: 'string' },
        threads: { type: 'string' },
      },
      usage,
    );
    if (!f['text-encoder']) throw new UsageError(`--text-encoder is required\n\n${usage}`);
    const templates = f.templates ? f.templates.split('|').map((t) => t.trim()) : DEFAULT_PROMPT_TEMPLATES;
    if (templates.some((t) => !t.includes('{label}'))) throw new UsageError('every template needs {label}');
    const dataset = await loadDatasetArg(f.dataset);
    const threads = intFlag(f.threads, 'threads');
    const embedded = await embedLabelled(f.encoder, dataset, threads);
    const text = await TextEncoder.load(f['text-encoder'], threads ? { threads } : {});
    try {
      const classPrompts = [];
      for (const name of dataset.classes) {
        const rows = await text.embed(promptsFor(spokenLabel(name), templates));
        classPrompts.push(templates.map((_, i) => rows.slice(i * text.dim, (i + 1) * text.dim)));
      }
      const report = zeroShotClassify({
        audio: embedded.rows,
        labels: embedded.labels,
        classNames: dataset.classes,
        classPrompts,
      });
      process.stdout.write(`${formatZeroShotTable(report)}\n`);
      if (f.json) {
        await writeFile(f.json, `${JSON.stringify(zeroShotReportJson(report), null, 2)}\n`);
        process.stdout.write(`report written to ${f.json}\n`);
      }
    } finally {
      await text.release();
    }
  },
};
