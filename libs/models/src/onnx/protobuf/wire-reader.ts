import { OnnxModelError } from '../errors.ts';

/** Protobuf wire types. */
export const WireType = { VARINT: 0, I64: 1, LEN: 2, I32: 5 } as const;

const TEXT = new TextDecoder('utf-8', { fatal: false });

/**
 * A bounds-checked reader of the protobuf wire format. Every read that would run past the end
 * throws a typed TRUNCATED error instead of returning garbage.
 */
export class WireReader {
  private pos: number;
  private readonly view: DataView;

  constructor(
    private readonly buf: Uint8Array,
    start = 0,
    private readonly end = buf.length,
    private readonly context = 'model',
  ) {
    this.pos = start;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  private need(n: number): void {
    if (this.pos + n > this.end) {
      throw new OnnxModelError(
        'TRUNCATED',
        `ONNX data ends early while reading ${this.context} (needed ${n} bytes at offset ${this.pos}, ${this.end - this.pos} left)`,
      );
    }
  }

  /** Reads a varint as a JS number (exact up to 2^53; larger values are malformed for our use). */
  varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      this.need(1);
      const b = this.buf[this.pos++]!;
      result += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) {
        return result;
      }
      scale *= 128;
    }
    throw new OnnxModelError('MALFORMED_PROTOBUF', `varint longer than 10 bytes in ${this.context}`);
  }

  /** Reads a varint as a signed 64-bit integer (two's complement), returned as a number. */
  int64(): number {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      this.need(1);
      const b = this.buf[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) {
        return Number(BigInt.asIntN(64, result));
      }
      shift += 7n;
    }
    throw new OnnxModelError('MALFORMED_PROTOBUF', `varint longer than 10 bytes in ${this.context}`);
  }

  int64Big(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      this.need(1);
      const b = this.buf[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) {
        return BigInt.asIntN(64, result);
      }
      shift += 7n;
    }
    throw new OnnxModelError('MALFORMED_PROTOBUF', `varint longer than 10 bytes in ${this.context}`);
  }

  tag(): { field: number; wire: number } {
    const t = this.varint();
    const field = Math.floor(t / 8);
    if (field === 0) {
      throw new OnnxModelError(
        'MALFORMED_PROTOBUF',
        `field number 0 at offset ${this.pos} in ${this.context}`,
      );
    }
    return { field, wire: t & 7 };
  }

  float32(): number {
    this.need(4);
    const v = this.view.getFloat32(this.pos, true);
    this.pos += 4;
    return v;
  }

  float64(): number {
    this.need(8);
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** The bytes of a length-delimited field, as a view (no copy). */
  bytes(): Uint8Array {
    const len = this.varint();
    this.need(len);
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  string(): string {
    return TEXT.decode(this.bytes());
  }

  /** A sub-reader over a nested message. */
  message(context: string): WireReader {
    const len = this.varint();
    this.need(len);
    const r = new WireReader(this.buf, this.pos, this.pos + len, context);
    this.pos += len;
    return r;
  }

  skip(wire: number): void {
    switch (wire) {
      case WireType.VARINT:
        this.varint();
        return;
      case WireType.I64:
        this.need(8);
        this.pos += 8;
        return;
      case WireType.LEN:
        this.bytes();
        return;
      case WireType.I32:
        this.need(4);
        this.pos += 4;
        return;
      default:
        throw new OnnxModelError('MALFORMED_PROTOBUF', `unknown wire type ${wire} in ${this.context}`);
    }
  }

  /** Reads a repeated int64 field that may be packed (LEN) or unpacked (VARINT). */
  repeatedInt64(wire: number, out: number[]): void {
    if (wire === WireType.LEN) {
      const sub = this.message(this.context);
      while (!sub.done) out.push(sub.int64());
    } else {
      this.expectWire(wire, WireType.VARINT);
      out.push(this.int64());
    }
  }

  repeatedFloat32(wire: number, out: number[]): void {
    if (wire === WireType.LEN) {
      const sub = this.message(this.context);
      while (!sub.done) out.push(sub.float32());
    } else {
      this.expectWire(wire, WireType.I32);
      out.push(this.float32());
    }
  }

  repeatedFloat64(wire: number, out: number[]): void {
    if (wire === WireType.LEN) {
      const sub = this.message(this.context);
      while (!sub.done) out.push(sub.float64());
    } else {
      this.expectWire(wire, WireType.I64);
      out.push(this.float64());
    }
  }

  expectWire(actual: number, expected: number): void {
    if (actual !== expected) {
      throw new OnnxModelError(
        'MALFORMED_PROTOBUF',
        `wire type ${actual} where ${expected} was expected in ${this.context}`,
      );
    }
  }
}
