import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import AjvModule from 'ajv';
import { PackError } from './errors.ts';
import { PACK_MANIFEST_SCHEMA } from './manifest-schema.ts';
import { MANIFEST_FILE, PACK_PARTS, type PackManifest, type PackPart } from './manifest.ts';

export interface Pack {
  /** Absolute path of the pack folder. */
  dir: string;
  manifest: PackManifest;
}

const ajv = new AjvModule.default({ allErrors: true, strict: true });
const validateSchema = ajv.compile<PackManifest>(PACK_MANIFEST_SCHEMA);

/**
 * Checks a parsed manifest against the schema and the rules a schema cannot state (every part's
 * description is listed, layer ranges are ordered, class names are unique); throws every problem at once.
 */
export function validateManifest(value: unknown, where = MANIFEST_FILE): PackManifest {
  if (!validateSchema(value)) {
    const problems = (validateSchema.errors ?? []).map((e) => {
      const at = e.instancePath === '' ? '(top level)' : e.instancePath;
      const extra =
        e.keyword === 'additionalProperties'
          ? ` '${String((e.params as { additionalProperty: string }).additionalProperty)}'`
          : e.keyword === 'enum' || e.keyword === 'const'
            ? ` ${JSON.stringify(e.params)}`
            : '';
      return `${at}: ${e.message ?? e.keyword}${extra}`;
    });
    throw new PackError(
      'BAD_MANIFEST',
      `${where} is not a valid pack manifest: ${problems.join('; ')}`,
      problems,
    );
  }
  const m = value;
  const problems: string[] = [];
  for (const [part, ref] of Object.entries(m.parts) as [PackPart, { dir: string }][]) {
    const file = `${ref.dir}/${PACK_PARTS[part].description}`;
    if (!m.files[file]) problems.push(`/parts/${part}: its description ${file} is not listed in files`);
  }
  const names = new Set<string>();
  for (const c of m.classes) {
    if (names.has(c.name)) problems.push(`/classes: '${c.name}' is listed twice`);
    names.add(c.name);
  }
  for (const key of ['audioLayers', 'textLayers'] as const) {
    const range = m.defaults[key];
    if (range && range[0] > range[1])
      problems.push(`/defaults/${key}: start ${range[0]} is after end ${range[1]}`);
  }
  if (problems.length > 0) {
    throw new PackError('BAD_MANIFEST', `${where}: ${problems.join('; ')}`, problems);
  }
  return m;
}

/** Reads and validates `dir/manifest.json`; files are not hashed (see verifyPack). */
export async function loadPack(dir: string): Promise<Pack> {
  const abs = resolve(dir);
  const file = join(abs, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new PackError('NOT_FOUND', `${abs} is not a pack: it has no readable ${MANIFEST_FILE}`, undefined, {
      cause,
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new PackError('BAD_MANIFEST', `${file} is not JSON: ${(cause as Error).message}`, undefined, {
      cause,
    });
  }
  return { dir: abs, manifest: validateManifest(parsed, file) };
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export interface PackVerification {
  pack: Pack;
  /** Files checked (size and SHA-256). */
  checked: number;
  bytes: number;
  /** Files in the folder that the manifest does not list (not an error: notes, previews). */
  unlisted: string[];
}

/**
 * Checks every listed file's size and SHA-256 and every part's description format; reports all
 * problems at once so a damaged download is diagnosed in one run.
 */
export async function verifyPack(pack: Pack): Promise<PackVerification> {
  const problems: string[] = [];
  let bytes = 0;
  for (const [name, entry] of Object.entries(pack.manifest.files)) {
    const path = join(pack.dir, ...name.split('/'));
    let size: number;
    try {
      size = (await stat(path)).size;
    } catch {
      problems.push(`${name}: missing`);
      continue;
    }
    if (size !== entry.bytes) {
      problems.push(`${name}: ${size} bytes, the manifest says ${entry.bytes}`);
      continue;
    }
    const sha = await sha256File(path);
    if (sha !== entry.sha256) problems.push(`${name}: SHA-256 ${sha}, the manifest says ${entry.sha256}`);
    bytes += size;
  }
  if (problems.length > 0) {
    throw new PackError(
      'BAD_FILE',
      `${pack.dir}: ${problems.length} file problem(s): ${problems.join('; ')}`,
      problems,
    );
  }
  for (const [part, ref] of Object.entries(pack.manifest.parts) as [PackPart, { dir: string }][]) {
    const { description, format } = PACK_PARTS[part];
    const file = join(pack.dir, ref.dir, description);
    let found: unknown;
    try {
      found = (JSON.parse(await readFile(file, 'utf8')) as { format?: unknown }).format;
    } catch (cause) {
      throw new PackError('BAD_PART', `${file} is not JSON`, undefined, { cause });
    }
    if (found !== format) {
      throw new PackError(
        'BAD_PART',
        `${file} describes '${String(found)}', the ${part} part needs '${format}'`,
      );
    }
  }
  const listed = new Set(Object.keys(pack.manifest.files));
  const unlisted = (await listFiles(pack.dir)).filter((f) => f !== MANIFEST_FILE && !listed.has(f));
  return { pack, checked: listed.size, bytes, unlisted };
}

/** Every regular file under `dir`, as '/'-separated relative paths, sorted. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}

/** The `files` map for a pack folder being built: every file but the manifest, hashed. */
export async function describeFiles(dir: string): Promise<Record<string, { bytes: number; sha256: string }>> {
  const out: Record<string, { bytes: number; sha256: string }> = {};
  for (const name of await listFiles(dir)) {
    if (name === MANIFEST_FILE) continue;
    const path = join(dir, ...name.split('/'));
    out[name] = { bytes: (await stat(path)).size, sha256: await sha256File(path) };
  }
  return out;
}
