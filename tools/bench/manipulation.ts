/**
 * `npm run bench:manipulation [-- --seeds N]`: the README's manipulation tables — `soundedit eval
 * manipulation` on every bundled pack (3 seeds by default), one table per pack.
 */
import { findPacks } from '@soundedit/models';
import { evalManipulation } from '../cli/commands/eval-manipulation.ts';
import { cliPackDirs } from '../cli/pack-dirs.ts';

const seedsFlag = process.argv.indexOf('--seeds');
const seeds = seedsFlag >= 0 ? process.argv[seedsFlag + 1]! : '3';
const packs = (await findPacks(cliPackDirs())).packs;
if (packs.length === 0) console.log(`bench:manipulation — no packs in ${cliPackDirs().join(', ')}`);
for (const pack of packs) {
  await evalManipulation.run(['--pack', pack.dir, '--seeds', seeds]);
  console.log('');
}
