import type { AttributeValue, Graph, Model, Node, TensorValue, ValueInfo } from './ir.ts';
import { WireWriter } from './protobuf/wire-writer.ts';
import { toRawBytes } from './protobuf/tensor-bytes.ts';

export interface EncodeOptions {
  /**
   * Keep initializers of at least this many bytes in a side file instead of the protobuf.
   * Needed past protobuf's 2 GiB message limit; handy for sharing weights between graphs.
   */
  externalData?: { location: string; minBytes?: number };
}

export interface EncodedModel {
  /** The .onnx bytes. */
  model: Uint8Array;
  /** The external-data file's bytes (to be written next to the model under `location`), if any. */
  external?: { location: string; bytes: Uint8Array };
}

/** Serialises a model to ONNX protobuf bytes. */
export function encodeModel(model: Model, options: EncodeOptions = {}): EncodedModel {
  const ext = options.externalData
    ? new ExternalSink(options.externalData.location, options.externalData.minBytes ?? 1024)
    : undefined;
  const w = new WireWriter();
  w.varint(1, model.irVersion);
  if (model.producerName) w.string(2, model.producerName);
  if (model.producerVersion) w.string(3, model.producerVersion);
  if (model.domain) w.string(4, model.domain);
  if (model.modelVersion) w.varint(5, model.modelVersion);
  if (model.docString) w.string(6, model.docString);
  w.message(7, encodeGraph(model.graph, ext));
  for (const op of model.opsetImports) {
    const s = new WireWriter();
    if (op.domain) s.string(1, op.domain);
    s.varint(2, op.version);
    w.message(8, s);
  }
  for (const [k, v] of Object.entries(model.metadata)) {
    w.message(14, stringPair(k, v));
  }
  const out: EncodedModel = { model: w.finish() };
  if (ext && ext.length > 0) out.external = { location: ext.location, bytes: ext.finish() };
  return out;
}

class ExternalSink {
  private chunks: Uint8Array[] = [];
  length = 0;
  constructor(
    readonly location: string,
    readonly minBytes: number,
  ) {}

  /** Appends at a 4 KiB-aligned offset so the file can be memory-mapped. */
  add(bytes: Uint8Array): { offset: number; length: number } {
    const pad = (4096 - (this.length % 4096)) % 4096;
    if (pad) {
      this.chunks.push(new Uint8Array(pad));
      this.length += pad;
    }
    const offset = this.length;
    this.chunks.push(bytes);
    this.length += bytes.length;
    return { offset, length: bytes.length };
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let off = 0;
    for (const c of this.chunks) {
      out.set(c, off);
      off += c.length;
    }
    return out;
  }
}

function stringPair(k: string, v: string): WireWriter {
  const s = new WireWriter();
  s.string(1, k);
  s.string(2, v);
  return s;
}

function encodeGraph(g: Graph, ext?: ExternalSink): WireWriter {
  const w = new WireWriter();
  for (const n of g.nodes) w.message(1, encodeNode(n, ext));
  if (g.name) w.string(2, g.name);
  for (const t of g.initializers) w.message(5, encodeTensor(t, ext));
  for (const v of g.inputs) w.message(11, encodeValueInfo(v));
  for (const v of g.outputs) w.message(12, encodeValueInfo(v));
  for (const v of g.valueInfo) w.message(13, encodeValueInfo(v));
  return w;
}

function encodeNode(n: Node, ext?: ExternalSink): WireWriter {
  const w = new WireWriter();
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  if (n.name) w.string(3, n.name);
  w.string(4, n.opType);
  for (const [name, a] of Object.entries(n.attributes)) w.message(5, encodeAttribute(name, a, ext));
  if (n.domain) w.string(7, n.domain);
  return w;
}

function encodeAttribute(name: string, a: AttributeValue, ext?: ExternalSink): WireWriter {
  const w = new WireWriter();
  w.string(1, name);
  switch (a.type) {
    case 'float':
      w.float32(2, a.value);
      w.varint(20, 1);
      break;
    case 'int':
      w.int64Big(3, BigInt(a.value));
      w.varint(20, 2);
      break;
    case 'string':
      w.string(4, a.value);
      w.varint(20, 3);
      break;
    case 'tensor':
      w.message(5, encodeTensor(a.value, ext));
      w.varint(20, 4);
      break;
    case 'graph':
      w.message(6, encodeGraph(a.value, ext));
      w.varint(20, 5);
      break;
    case 'floats':
      w.packedFloat32(7, a.value);
      w.varint(20, 6);
      break;
    case 'ints':
      w.packedInt64(8, a.value);
      w.varint(20, 7);
      break;
    case 'strings':
      for (const s of a.value) w.string(9, s);
      w.varint(20, 8);
      break;
    case 'tensors':
      for (const t of a.value) w.message(10, encodeTensor(t, ext));
      w.varint(20, 9);
      break;
    case 'graphs':
      for (const g of a.value) w.message(11, encodeGraph(g, ext));
      w.varint(20, 10);
      break;
  }
  return w;
}

export function encodeTensor(t: TensorValue, ext?: ExternalSink): WireWriter {
  const w = new WireWriter();
  w.packedInt64(1, t.dims);
  w.varint(2, t.dataType);
  if (t.name) w.string(8, t.name);
  const raw = toRawBytes(t.data);
  if (ext && t.name && raw.length >= ext.minBytes) {
    const { offset, length } = ext.add(raw);
    w.message(13, stringPair('location', ext.location));
    w.message(13, stringPair('offset', String(offset)));
    w.message(13, stringPair('length', String(length)));
    w.varint(14, 1);
  } else if (t.external) {
    w.message(13, stringPair('location', t.external.location));
    w.message(13, stringPair('offset', String(t.external.offset)));
    if (t.external.length >= 0) w.message(13, stringPair('length', String(t.external.length)));
    w.varint(14, 1);
  } else {
    w.bytes(9, raw);
  }
  return w;
}

function encodeValueInfo(v: ValueInfo): WireWriter {
  const w = new WireWriter();
  w.string(1, v.name);
  // An output whose type is left to onnxruntime's inference (shape probing) carries no TypeProto.
  if (v.elemType === 0 && !v.shape) return w;
  const tensorType = new WireWriter();
  tensorType.varint(1, v.elemType);
  if (v.shape) {
    const shape = new WireWriter();
    for (const d of v.shape) {
      const dim = new WireWriter();
      if (typeof d === 'number') dim.varint(1, d);
      else if (typeof d === 'string') dim.string(2, d);
      shape.message(1, dim);
    }
    tensorType.message(2, shape);
  }
  const type = new WireWriter();
  type.message(1, tensorType);
  w.message(2, type);
  return w;
}
