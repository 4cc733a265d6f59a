import { readFile, writeFile } from 'node:fs/promises';

/** Rendered pictures with what describes them, as the trainers take them. */
export interface PictureSet<M> {
  size: number;
  /** 8-bit planar RGB [3, size, size] per picture. */
  pixels: Uint8Array[];
  meta: M[];
}

/** Writes `<path>.bin` (pixels end to end) and `<path>.json` (size, count, metadata). */
export async function savePictureSet<M>(path: string, set: PictureSet<M>): Promise<void> {
  const item = 3 * set.size * set.size;
  const all = new Uint8Array(set.pixels.length * item);
  set.pixels.forEach((p, i) => all.set(p, i * item));
  await writeFile(`${path}.bin`, all);
  await writeFile(
    `${path}.json`,
    JSON.stringify({ size: set.size, count: set.pixels.length, meta: set.meta }),
  );
}

export async function loadPictureSet<M>(path: string): Promise<PictureSet<M>> {
  const head = JSON.parse(await readFile(`${path}.json`, 'utf8')) as {
    size: number;
    count: number;
    meta: M[];
  };
  const all = new Uint8Array(await readFile(`${path}.bin`));
  const item = 3 * head.size * head.size;
  if (all.length !== head.count * item)
    throw new Error(`${path}.bin holds ${all.length} bytes, expected ${head.count * item}`);
  return {
    size: head.size,
    pixels: Array.from({ length: head.count }, (_, i) => all.subarray(i * item, (i + 1) * item)),
    meta: head.meta,
  };
}

/** A float picture in [0, 1] (what the renderers return) to 8-bit planar. */
export function toBytes(data: Float32Array): Uint8Array {
  return Uint8Array.from(data, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255));
}
