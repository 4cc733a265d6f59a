import { findPacks, openPack, PACK_MANIFEST_SCHEMA, verifyPack } from '@soundedit/models';
import { parseFlags, type Command } from '../command.ts';
import { cliPackDirs } from '../pack-dirs.ts';
import { UsageError } from '../usage-error.ts';

const usage = `soundedit packs list [--json]
soundedit packs verify [NAME|DIR ...]     (all found packs when none is named)
soundedit packs schema                    (the manifest's JSON Schema)

Packs are looked for in each folder of SOUNDEDIT_MODELS (':'-separated), then in the repository's
models/ folder; the first pack of a name wins.`;

export const packs: Command = {
  name: 'packs',
  summary: 'list, verify (sizes, SHA-256, parts) and describe model packs',
  usage,
  async run(argv) {
    const [sub, ...rest] = argv;
    const dirs = cliPackDirs();
    switch (sub) {
      case 'list': {
        const f = parseFlags(rest, { json: { type: 'boolean' } }, usage);
        const found = await findPacks(dirs);
        if (f.json) {
          const rows = found.packs.map((p) => ({
            name: p.manifest.name,
            title: p.manifest.title,
            dir: p.dir,
          }));
          process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        } else {
          process.stdout.write(`search folders: ${dirs.join(', ')}\n`);
          if (found.packs.length === 0) process.stdout.write('no packs found\n');
          for (const p of found.packs) {
            const m = p.manifest;
            const size = Object.values(m.files).reduce((s, f) => s + f.bytes, 0);
            process.stdout.write(
              `${m.name.padEnd(20)} ${m.title} — ${m.classes.length} classes, ${(size / 1048576).toFixed(1)} MiB, ${m.licence}\n${' '.repeat(21)}${p.dir}\n`,
            );
          }
        }
        for (const b of found.broken) process.stderr.write(`broken pack ${b.dir}: ${b.error.message}\n`);
        return;
      }
      case 'verify': {
        const targets =
          rest.length > 0
            ? await Promise.all(rest.map((n) => openPack(n, dirs)))
            : (await findPacks(dirs)).packs;
        if (targets.length === 0) throw new UsageError(`no packs to verify in ${dirs.join(', ')}`);
        for (const pack of targets) {
          const v = await verifyPack(pack);
          process.stdout.write(
            `${pack.manifest.name}: ok — ${v.checked} files, ${(v.bytes / 1048576).toFixed(1)} MiB, sizes and SHA-256 match${v.unlisted.length ? `; not in the manifest: ${v.unlisted.join(', ')}` : ''}\n`,
          );
        }
        return;
      }
      case 'schema':
        process.stdout.write(`${JSON.stringify(PACK_MANIFEST_SCHEMA, null, 2)}\n`);
        return;
      default:
        throw new UsageError(usage);
    }
  },
};
