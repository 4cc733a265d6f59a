/**
 * `npm run soundedit -- <command> [flags]`: the soundedit command line. One file per command in
 * commands/; each prints its usage with --help.
 */
import type { Command } from './command.ts';
import { edit } from './commands/edit.ts';
import { evalLinearProbe } from './commands/eval-linear-probe.ts';
import { evalManipulation } from './commands/eval-manipulation.ts';
import { evalZeroShot } from './commands/eval-zero-shot.ts';
import { packs } from './commands/packs.ts';
import { textEncoderInit } from './commands/text-encoder-init.ts';
import { trainAudio } from './commands/train-audio.ts';
import { vggsoundToCsvCommand } from './commands/vggsound-to-csv.ts';
import { UsageError } from './usage-error.ts';

const COMMANDS: readonly Command[] = [
  edit,
  packs,
  trainAudio,
  evalZeroShot,
  evalLinearProbe,
  evalManipulation,
  textEncoderInit,
  vggsoundToCsvCommand,
];

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `usage: soundedit <command> [flags]   (soundedit <command> --help for its flags)\n\n${lines.join('\n')}`;
}

async function main(argv: string[]): Promise<number> {
  // `soundedit eval manipulation` reads as `soundedit eval-manipulation` (likewise zero-shot, linear-probe).
  const [name, ...rest] = argv[0] === 'eval' && argv[1] ? [`eval-${argv[1]}`, ...argv.slice(2)] : argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${help()}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`unknown command '${name}'\n\n${help()}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.usage}\n`);
    return 0;
  }
  try {
    await command.run(rest);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`${e.message}\n`);
      return 2;
    }
    // Typed library errors carry a code and a message written for the user; no stack trace.
    if (e instanceof Error && 'code' in e) {
      process.stderr.write(`${e.name} ${String((e as { code: unknown }).code)}: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

process.exitCode = await main(process.argv.slice(2));
