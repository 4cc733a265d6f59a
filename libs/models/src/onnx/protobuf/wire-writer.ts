const TEXT = new TextEncoder();

/**
 * An append-only protobuf writer. Nested messages are written into their own writer and then
 * copied in with a length prefix, which keeps the code simple; the copies are small next to the
 * initializer bytes, which are written once.
 */
export class WireWriter {
  private chunks: Uint8Array[] = [];
  private cur = new Uint8Array(256);
  private pos = 0;
  private flushed = 0;

  get length(): number {
    return this.flushed + this.pos;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.cur.length) return;
    this.chunks.push(this.cur.subarray(0, this.pos));
    this.flushed += this.pos;
    this.cur = new Uint8Array(Math.max(n, 64 * 1024));
    this.pos = 0;
  }

  private rawVarint(v: number): void {
    this.ensure(10);
    if (v < 0) {
      this.rawVarintBig(BigInt.asUintN(64, BigInt(v)));
      return;
    }
    while (v >= 128) {
      this.cur[this.pos++] = (v % 128) | 0x80;
      v = Math.floor(v / 128);
    }
    this.cur[this.pos++] = v;
  }

  private rawVarintBig(v: bigint): void {
    this.ensure(10);
    while (v >= 128n) {
      this.cur[this.pos++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.cur[this.pos++] = Number(v);
  }

  private tag(field: number, wire: number): void {
    this.rawVarint(field * 8 + wire);
  }

  varint(field: number, v: number): void {
    this.tag(field, 0);
    this.rawVarint(v);
  }

  int64Big(field: number, v: bigint): void {
    this.tag(field, 0);
    this.rawVarintBig(BigInt.asUintN(64, v));
  }

  float32(field: number, v: number): void {
    this.tag(field, 5);
    this.ensure(4);
    new DataView(this.cur.buffer, this.cur.byteOffset + this.pos, 4).setFloat32(0, v, true);
    this.pos += 4;
  }

  bytes(field: number, data: Uint8Array): void {
    this.tag(field, 2);
    this.rawVarint(data.length);
    this.raw(data);
  }

  string(field: number, s: string): void {
    this.bytes(field, TEXT.encode(s));
  }

  message(field: number, sub: WireWriter): void {
    this.tag(field, 2);
    this.rawVarint(sub.length);
    for (const c of sub.finishChunks()) this.raw(c);
  }

  packedInt64(field: number, values: readonly number[]): void {
    if (values.length === 0) return;
    const sub = new WireWriter();
    for (const v of values) sub.rawVarint(v);
    this.message(field, sub);
  }

  packedFloat32(field: number, values: readonly number[]): void {
    if (values.length === 0) return;
    const f = new Float32Array(values);
    this.bytes(field, new Uint8Array(f.buffer));
  }

  private raw(data: Uint8Array): void {
    if (data.length > 4096) {
      // Large payloads (initializers) are referenced, not copied into the scratch buffer.
      this.chunks.push(this.cur.subarray(0, this.pos));
      this.flushed += this.pos;
      this.chunks.push(data);
      this.flushed += data.length;
      this.cur = new Uint8Array(256);
      this.pos = 0;
      return;
    }
    this.ensure(data.length);
    this.cur.set(data, this.pos);
    this.pos += data.length;
  }

  finishChunks(): Uint8Array[] {
    return [...this.chunks, this.cur.subarray(0, this.pos)];
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let off = 0;
    for (const c of this.finishChunks()) {
      out.set(c, off);
      off += c.length;
    }
    return out;
  }
}
