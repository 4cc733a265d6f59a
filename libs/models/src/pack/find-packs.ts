import { readdir } from 'node:fs/promises';
import { delimiter, join, resolve } from 'node:path';
import { PackError } from './errors.ts';
import { loadPack, type Pack } from './load-pack.ts';

/**
 * Where packs are looked for, first match wins: each folder in SOUNDEDIT_MODELS (a path list, ':'
 * separated on Linux), then the given defaults (the repository's models/ folder, say).
 */
export function packSearchDirs(defaults: readonly string[] = [], env = process.env): string[] {
  const fromEnv = (env.SOUNDEDIT_MODELS ?? '').split(delimiter).filter((d) => d.trim() !== '');
  return [...new Set([...fromEnv, ...defaults].map((d) => resolve(d)))];
}

export interface FoundPacks {
  packs: Pack[];
  /** Folders that look like packs but failed to load, with why; listing goes on without them. */
  broken: { dir: string; error: PackError }[];
}

/** Every pack directly inside the search folders; a name found twice is taken from the earlier folder. */
export async function findPacks(dirs: readonly string[]): Promise<FoundPacks> {
  const out: FoundPacks = { packs: [], broken: [] };
  const seen = new Set<string>();
  for (const root of dirs) {
    let names: string[];
    try {
      names = (await readdir(root, { withFileTypes: true }))
        .filter((e) => e.isDirectory())
        .map((e) => e.name);
    } catch {
      continue;
    }
    for (const name of names.sort()) {
      const dir = join(root, name);
      try {
        const pack = await loadPack(dir);
        if (seen.has(pack.manifest.name)) continue;
        seen.add(pack.manifest.name);
        out.packs.push(pack);
      } catch (e) {
        if (!(e instanceof PackError)) throw e;
        if (e.code !== 'NOT_FOUND') out.broken.push({ dir, error: e });
      }
    }
  }
  return out;
}

/** A pack by name (or a path to a pack folder) from the search folders. */
export async function openPack(nameOrDir: string, dirs: readonly string[]): Promise<Pack> {
  if (nameOrDir.includes('/') || nameOrDir.includes('\\')) return loadPack(nameOrDir);
  const { packs, broken } = await findPacks(dirs);
  const pack = packs.find((p) => p.manifest.name === nameOrDir);
  if (pack) return pack;
  const damaged = broken.find((b) => b.dir.endsWith(nameOrDir));
  if (damaged) throw damaged.error;
  const known = packs.map((p) => p.manifest.name);
  throw new PackError(
    'NOT_FOUND',
    `no pack named '${nameOrDir}' in ${dirs.join(', ') || '(no search folders)'}; available: ${known.join(', ') || 'none'}`,
  );
}
