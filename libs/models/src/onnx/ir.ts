/**
 * The in-memory form of an ONNX model. It mirrors onnx.proto closely enough to round-trip what
 * soundedit reads and writes, and is plain data so graph transforms can copy and edit it freely.
 */

/** onnx.TensorProto.DataType values. */
export const DataType = {
  UNDEFINED: 0,
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  UINT16: 4,
  INT16: 5,
  INT32: 6,
  INT64: 7,
  STRING: 8,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
  UINT32: 12,
  UINT64: 13,
  BFLOAT16: 16,
} as const;
export type DataType = (typeof DataType)[keyof typeof DataType];

export type TensorData =
  | Float32Array
  | Float64Array
  | Int32Array
  | BigInt64Array
  | BigUint64Array
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array;

/** Where an initializer's bytes live when they are kept outside the .onnx file. */
export interface ExternalDataRef {
  location: string;
  offset: number;
  length: number;
}

export interface TensorValue {
  name: string;
  dataType: DataType;
  dims: number[];
  /** Decoded values. Float16/BFloat16 are held as their raw Uint16 bits. */
  data: TensorData;
  /** Set on tensors read from a model that keeps them in an external-data file and not yet loaded. */
  external?: ExternalDataRef;
}

export type AttributeValue =
  | { type: 'float'; value: number }
  | { type: 'int'; value: number }
  | { type: 'string'; value: string }
  | { type: 'tensor'; value: TensorValue }
  | { type: 'graph'; value: Graph }
  | { type: 'floats'; value: number[] }
  | { type: 'ints'; value: number[] }
  | { type: 'strings'; value: string[] }
  | { type: 'tensors'; value: TensorValue[] }
  | { type: 'graphs'; value: Graph[] };

export interface Node {
  opType: string;
  /** Input tensor names; '' marks an omitted optional input, as in ONNX. */
  inputs: string[];
  outputs: string[];
  name: string;
  domain: string;
  attributes: Record<string, AttributeValue>;
}

/** A dimension: a fixed size, a symbolic name, or unknown. */
export type Dim = number | string | null;

export interface ValueInfo {
  name: string;
  elemType: DataType;
  /** undefined when the rank is unknown. */
  shape?: Dim[];
}

export interface Graph {
  name: string;
  nodes: Node[];
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  initializers: TensorValue[];
  valueInfo: ValueInfo[];
}

export interface OpsetImport {
  domain: string;
  version: number;
}

export interface Model {
  irVersion: number;
  opsetImports: OpsetImport[];
  producerName: string;
  producerVersion: string;
  domain: string;
  modelVersion: number;
  docString: string;
  graph: Graph;
  metadata: Record<string, string>;
}

/** The opset every graph soundedit writes declares. */
export const DEFAULT_OPSET = 17;
/** IR version 8 goes with opset 17 (onnx 1.12+). */
export const DEFAULT_IR_VERSION = 8;

export function emptyGraph(name = 'graph'): Graph {
  return { name, nodes: [], inputs: [], outputs: [], initializers: [], valueInfo: [] };
}

export function newModel(graph: Graph, opset = DEFAULT_OPSET): Model {
  return {
    irVersion: DEFAULT_IR_VERSION,
    opsetImports: [{ domain: '', version: opset }],
    producerName: 'soundedit',
    producerVersion: '0.1.0',
    domain: '',
    modelVersion: 1,
    docString: '',
    graph,
    metadata: {},
  };
}

/** The default-domain opset a model declares (0 when it declares none). */
export function modelOpset(model: Model): number {
  return model.opsetImports.find((o) => o.domain === '' || o.domain === 'ai.onnx')?.version ?? 0;
}

export function elementCount(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) n *= d;
  return n;
}
