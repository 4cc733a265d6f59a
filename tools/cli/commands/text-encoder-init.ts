import {
  DEFAULT_CAPTION_TEMPLATE,
  DEFAULT_PROMPT_TEMPLATES,
  spokenLabel,
  TextEncoder,
  WordLevelTokenizer,
} from '@soundedit/core';
import { intFlag, parseFlags, type Command } from '../command.ts';
import { DATASET_HELP, loadDatasetArg } from '../dataset-arg.ts';
import { UsageError } from '../usage-error.ts';

const usage = `soundedit text-encoder-init --dataset KIND:PATH --out DIR [options]

Writes a text encoder folder: a CLIP-layout text transformer with seeded random weights over a
word-level vocabulary of the dataset's captions, labels and prompt templates. It is the frozen
text side for experiments on a closed vocabulary before a pack's trained text tower exists; a
pack's own text encoder folder has the same layout.

${DATASET_HELP}
  --out DIR               the folder to write (text-encoder.json, text-encoder.onnx, vocab.txt)
  --width N (64)  --layers N (2)  --heads N (4)  --embed-dim N (512)  --context N (32)  --seed N (0)`;

export const textEncoderInit: Command = {
  name: 'text-encoder-init',
  summary: 'write a seeded word-level text encoder folder for a dataset',
  usage,
  async run(argv) {
    const f = parseFlags(
      argv,
      {
        dataset: { type: 'string' },
        out: { type: 'string' },
        width: { type: 'string' },
        layers: { type: 'string' },
        heads: { type: 'string' },
        'embed-dim': { type: 'string' },
        context: { type: 'string' },
        seed: { type: 'string' },
      },
      usage,
    );
    if (!f.out) throw new UsageError(`--out is required\n\n${usage}`);
    const dataset = await loadDatasetArg(f.dataset);
    const labels = [
      ...new Set(dataset.items.flatMap((i) => (i.label === undefined ? [] : [spokenLabel(i.label)]))),
    ];
    const texts = [
      ...dataset.items.flatMap((i) => (i.caption === undefined ? [] : [i.caption])),
      ...labels.flatMap((l) =>
        [DEFAULT_CAPTION_TEMPLATE, ...DEFAULT_PROMPT_TEMPLATES].map((t) => t.replaceAll('{label}', l)),
      ),
    ];
    const contextLength = intFlag(f.context, 'context', 32)!;
    const tokenizer = WordLevelTokenizer.fromTexts(texts, { contextLength });
    const encoder = await TextEncoder.create(
      {
        vocabSize: tokenizer.vocabSize,
        contextLength,
        width: intFlag(f.width, 'width', 64)!,
        layers: intFlag(f.layers, 'layers', 2)!,
        heads: intFlag(f.heads, 'heads', 4)!,
        embedDim: intFlag(f['embed-dim'], 'embed-dim', 512)!,
      },
      tokenizer,
      { seed: intFlag(f.seed, 'seed', 0)! },
    );
    await encoder.save(f.out);
    await encoder.release();
    process.stdout.write(`text encoder (${tokenizer.vocabSize} words) written to ${f.out}\n`);
  },
};
