import { OnnxModelError } from '../errors.ts';
import { DataType, type TensorData } from '../ir.ts';

type Ctor = {
  new (n: number): TensorData;
  new (buf: ArrayBuffer, offset: number, length: number): TensorData;
  BYTES_PER_ELEMENT: number;
};

const CTORS: Partial<Record<DataType, Ctor>> = {
  [DataType.FLOAT]: Float32Array,
  [DataType.DOUBLE]: Float64Array,
  [DataType.INT32]: Int32Array,
  [DataType.INT64]: BigInt64Array,
  [DataType.UINT64]: BigUint64Array,
  [DataType.UINT8]: Uint8Array,
  [DataType.BOOL]: Uint8Array,
  [DataType.INT8]: Int8Array,
  [DataType.UINT16]: Uint16Array,
  [DataType.INT16]: Int16Array,
  [DataType.UINT32]: Uint32Array,
  [DataType.FLOAT16]: Uint16Array,
  [DataType.BFLOAT16]: Uint16Array,
};

export const SUPPORTED_DTYPES = Object.keys(CTORS).map(Number) as DataType[];

export function dtypeName(t: number): string {
  const entry = Object.entries(DataType).find(([, v]) => v === t);
  return entry ? entry[0] : `dtype ${t}`;
}

export function ctorFor(dataType: number, subject: string): Ctor {
  const ctor = CTORS[dataType as DataType];
  if (!ctor) {
    throw new OnnxModelError(
      'UNSUPPORTED_DTYPE',
      `tensor '${subject}' has ${dtypeName(dataType)}; supported: ${SUPPORTED_DTYPES.map(dtypeName).join(', ')}`,
      { subject },
    );
  }
  return ctor;
}

export function bytesPerElement(dataType: number): number {
  return ctorFor(dataType, '?').BYTES_PER_ELEMENT;
}

/** Copies little-endian raw bytes into a fresh, aligned typed array of the tensor's dtype. */
export function fromRawBytes(dataType: number, raw: Uint8Array, count: number, subject: string): TensorData {
  const ctor = ctorFor(dataType, subject);
  const need = count * ctor.BYTES_PER_ELEMENT;
  if (raw.length !== need) {
    throw new OnnxModelError(
      'INVALID_GRAPH',
      `tensor '${subject}' holds ${raw.length} bytes but its shape needs ${need}`,
      { subject },
    );
  }
  const copy = new Uint8Array(need);
  copy.set(raw);
  return new ctor(copy.buffer, 0, count);
}

/** A byte view of a typed array (little-endian hosts only, which is every target of onnxruntime-node). */
export function toRawBytes(data: TensorData): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Builds a typed array from the numeric repeated fields ONNX also allows instead of raw_data. */
export function fromNumbers(
  dataType: number,
  values: readonly number[] | readonly bigint[],
  subject: string,
): TensorData {
  const ctor = ctorFor(dataType, subject);
  const out = new ctor(values.length);
  if (out instanceof BigInt64Array || out instanceof BigUint64Array) {
    values.forEach((v, i) => (out[i] = BigInt(v)));
  } else {
    values.forEach((v, i) => (out[i] = Number(v)));
  }
  return out;
}
