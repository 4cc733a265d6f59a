/** A tensor in host memory: what sessions take and return, so onnxruntime types never leak out. */
export type HostData = Float32Array | BigInt64Array | Int32Array | Uint8Array | Float64Array;

export interface HostTensor {
  data: HostData;
  dims: number[];
  /** Set for boolean tensors, which travel as Uint8Array. */
  bool?: true;
}

export function f32(data: Float32Array | number[], dims: number[]): HostTensor {
  return { data: data instanceof Float32Array ? data : Float32Array.from(data), dims };
}

export function i64(values: readonly number[], dims: number[] = [values.length]): HostTensor {
  return { data: BigInt64Array.from(values, (v) => BigInt(v)), dims };
}

export function scalarValue(t: HostTensor): number {
  if (t.data.length !== 1)
    throw new Error(`expected one value, got ${t.data.length} (dims [${t.dims.join(', ')}])`);
  return Number(t.data[0]);
}
