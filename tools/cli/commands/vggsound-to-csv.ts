import { vggSoundToCsv } from '@soundedit/core';
import { parseFlags, type Command } from '../command.ts';
import { UsageError } from '../usage-error.ts';

const usage = `soundedit vggsound-to-csv --metadata vggsound.csv --audio DIR --out dataset.csv [--split train|test]

Converts VGGSound's headerless metadata (youtube_id,start_seconds,label,split) and a folder of
downloaded clips ({id}_{start:06}.wav|.flac|.mp4) into soundedit's CSV dataset (audio,label,split);
rows whose clip is missing are reported and left out.`;

export const vggsoundToCsvCommand: Command = {
  name: 'vggsound-to-csv',
  summary: "convert VGGSound's metadata + clips into a CSV dataset",
  usage,
  async run(argv) {
    const f = parseFlags(
      argv,
      {
        metadata: { type: 'string' },
        audio: { type: 'string' },
        out: { type: 'string' },
        split: { type: 'string' },
      },
      usage,
    );
    if (!f.metadata || !f.audio || !f.out)
      throw new UsageError(`--metadata, --audio and --out are required\n\n${usage}`);
    if (f.split !== undefined && f.split !== 'train' && f.split !== 'test') {
      throw new UsageError(`--split takes train or test, got '${f.split}'`);
    }
    const result = await vggSoundToCsv(f.metadata, f.audio, f.out, f.split ? { split: f.split } : {});
    process.stdout.write(`${JSON.stringify({ ...result, problems: result.problems.length })}\n`);
  },
};
