import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { packSearchDirs } from '@soundedit/models';

/** The repository's bundled packs. */
export const REPO_MODELS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'models');

/** SOUNDEDIT_MODELS folders first, then the repository's models/. */
export function cliPackDirs(): string[] {
  return packSearchDirs([REPO_MODELS]);
}
