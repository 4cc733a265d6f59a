import { readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, normalize, sep } from 'node:path';
import { decodeModel } from './decode.ts';
import { encodeModel, type EncodeOptions } from './encode.ts';
import { OnnxModelError } from './errors.ts';
import type { Graph, Model } from './ir.ts';
import { fromRawBytes } from './protobuf/tensor-bytes.ts';
import { elementCount } from './ir.ts';

/** Reads an .onnx file, and the external-data files it references from its folder. */
export async function loadModel(path: string): Promise<Model> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    throw new OnnxModelError('INVALID_GRAPH', `cannot read ONNX file ${path}: ${(cause as Error).message}`, {
      cause,
    });
  }
  const model = decodeModel(bytes);
  await loadExternalData(model.graph, dirname(path));
  return model;
}

/** Fills every initializer that lives in an external-data file, checking offsets and lengths. */
export async function loadExternalData(graph: Graph, baseDir: string): Promise<void> {
  const files = new Map<string, Uint8Array>();
  for (const t of graph.initializers) {
    if (!t.external) continue;
    const loc = t.external.location;
    if (isAbsolute(loc) || normalize(loc).split(sep).includes('..')) {
      throw new OnnxModelError(
        'MISSING_EXTERNAL_DATA',
        `tensor '${t.name}' points outside the model folder (${loc})`,
        {
          subject: t.name,
        },
      );
    }
    let file = files.get(loc);
    if (!file) {
      try {
        file = await readFile(join(baseDir, loc));
      } catch (cause) {
        throw new OnnxModelError(
          'MISSING_EXTERNAL_DATA',
          `tensor '${t.name}' is stored in '${loc}', which cannot be read next to the model: ${(cause as Error).message}`,
          { subject: t.name, cause },
        );
      }
      files.set(loc, file);
    }
    const count = elementCount(t.dims);
    const length = t.external.length >= 0 ? t.external.length : file.length - t.external.offset;
    if (t.external.offset < 0 || t.external.offset + length > file.length) {
      throw new OnnxModelError(
        'MISSING_EXTERNAL_DATA',
        `tensor '${t.name}' needs bytes ${t.external.offset}..${t.external.offset + length} of '${loc}', which has ${file.length}`,
        { subject: t.name },
      );
    }
    t.data = fromRawBytes(
      t.dataType,
      file.subarray(t.external.offset, t.external.offset + length),
      count,
      t.name,
    );
    delete t.external;
  }
}

/**
 * Writes a model. With `externalData`, large initializers go to a side file named after the model
 * (`<name>.onnx.data`), as onnx's own save_model does.
 */
export async function saveModel(
  path: string,
  model: Model,
  options: { externalData?: boolean; minBytes?: number } = {},
): Promise<void> {
  const enc: EncodeOptions = options.externalData
    ? { externalData: { location: `${basename(path)}.data`, minBytes: options.minBytes ?? 1024 } }
    : {};
  const { model: bytes, external } = encodeModel(model, enc);
  await writeFile(path, bytes);
  if (external) await writeFile(join(dirname(path), external.location), external.bytes);
}
