import type { AttributeValue, TensorValue } from '../onnx/ir.ts';

/**
 * What a builder call accepts as an attribute. Plain numbers are INT attributes (the common case:
 * axes, strides, pads); FLOAT attributes are spelled `float(0.2)` so the type written is never a guess.
 */
export type AttrInput = AttributeValue | number | number[] | string | string[] | undefined;

export function float(value: number): AttributeValue {
  return { type: 'float', value };
}

export function floats(value: number[]): AttributeValue {
  return { type: 'floats', value };
}

export function tensorAttr(value: TensorValue): AttributeValue {
  return { type: 'tensor', value };
}

export function toAttributes(attrs: Record<string, AttrInput>): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined) continue;
    if (typeof v === 'number') {
      if (!Number.isInteger(v))
        throw new TypeError(`attribute '${k}' = ${v}: use float(${v}) for FLOAT attributes`);
      out[k] = { type: 'int', value: v };
    } else if (typeof v === 'string') out[k] = { type: 'string', value: v };
    else if (Array.isArray(v)) {
      if (v.every((x): x is string => typeof x === 'string')) out[k] = { type: 'strings', value: v };
      else {
        const nums = v as number[];
        if (!nums.every(Number.isInteger))
          throw new TypeError(`attribute '${k}': use floats([...]) for FLOATS attributes`);
        out[k] = { type: 'ints', value: nums };
      }
    } else out[k] = v;
  }
  return out;
}

/** Reads an INT attribute with a default. */
export function intAttr(attrs: Record<string, AttributeValue>, name: string, dflt: number): number {
  const a = attrs[name];
  return a && a.type === 'int' ? a.value : dflt;
}

export function floatAttr(attrs: Record<string, AttributeValue>, name: string, dflt: number): number {
  const a = attrs[name];
  return a && a.type === 'float' ? a.value : dflt;
}

export function intsAttr(attrs: Record<string, AttributeValue>, name: string): number[] | undefined {
  const a = attrs[name];
  return a && a.type === 'ints' ? a.value : undefined;
}

export function stringAttr(attrs: Record<string, AttributeValue>, name: string, dflt: string): string {
  const a = attrs[name];
  return a && a.type === 'string' ? a.value : dflt;
}
