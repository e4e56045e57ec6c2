// JSON values as msgpack, for handing records to a module in event_format msgpack as Fluent Bit
// holds them. Iterative, since a record may nest 10,000 deep (a recursive encoder runs out of stack).

class Writer {
  bytes = new Uint8Array(256);
  length = 0;

  private room(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.length + n) size *= 2;
    const bigger = new Uint8Array(size);
    bigger.set(this.bytes.subarray(0, this.length));
    this.bytes = bigger;
  }

  byte(b: number): void {
    this.room(1);
    this.bytes[this.length++] = b;
  }

  /** A type byte and a big-endian unsigned of `size` bytes. */
  sized(type: number, value: number, size: 1 | 2 | 4): void {
    this.room(1 + size);
    this.bytes[this.length++] = type;
    for (let shift = (size - 1) * 8; shift >= 0; shift -= 8) this.bytes[this.length++] = Math.floor(value / 2 ** shift) & 0xff;
  }

  raw(data: Uint8Array): void {
    this.room(data.length);
    this.bytes.set(data, this.length);
    this.length += data.length;
  }

  header(n: number, fixed: number, fixedMax: number, code16: number, code32: number): void {
    if (n <= fixedMax) this.byte(fixed | n);
    else if (n <= 0xffff) this.sized(code16, n, 2);
    else this.sized(code32, n, 4);
  }

  number(v: number): void {
    if (!Number.isSafeInteger(v)) return this.eight(0xcb, (view, at) => view.setFloat64(at, v));
    if (v >= 0) {
      if (v <= 0x7f) this.byte(v);
      else if (v <= 0xff) this.sized(0xcc, v, 1);
      else if (v <= 0xffff) this.sized(0xcd, v, 2);
      else if (v <= 0xffffffff) this.sized(0xce, v, 4);
      else this.eight(0xcf, (view, at) => view.setBigUint64(at, BigInt(v)));
    } else if (v >= -32) this.byte(v & 0xff);
    else if (v >= -0x80) this.sized(0xd0, v & 0xff, 1);
    else if (v >= -0x8000) this.sized(0xd1, v & 0xffff, 2);
    else if (v >= -0x80000000) this.sized(0xd2, v >>> 0, 4);
    else this.eight(0xd3, (view, at) => view.setBigInt64(at, BigInt(v)));
  }

  /** A type byte and eight bytes written by `set`. */
  private eight(type: number, set: (view: DataView, at: number) => void): void {
    this.room(9);
    this.bytes[this.length++] = type;
    set(new DataView(this.bytes.buffer), this.length);
    this.length += 8;
  }
}

const encoder = new TextEncoder();

export function encodeMsgpack(value: unknown): Uint8Array {
  const w = new Writer();
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (v === null || v === undefined) w.byte(0xc0);
    else if (typeof v === "boolean") w.byte(v ? 0xc3 : 0xc2);
    else if (typeof v === "number") w.number(v);
    else if (typeof v === "string") {
      const bytes = encoder.encode(v);
      if (bytes.length <= 31) w.byte(0xa0 | bytes.length);
      else if (bytes.length <= 0xff) w.sized(0xd9, bytes.length, 1);
      else w.header(bytes.length, 0, -1, 0xda, 0xdb);
      w.raw(bytes);
    } else if (Array.isArray(v)) {
      w.header(v.length, 0x90, 15, 0xdc, 0xdd);
      for (let i = v.length - 1; i >= 0; i--) stack.push(v[i]);
    } else {
      const entries = Object.entries(v as Record<string, unknown>);
      w.header(entries.length, 0x80, 15, 0xde, 0xdf);
      for (let i = entries.length - 1; i >= 0; i--) stack.push(entries[i][1], entries[i][0]);
    }
  }
  return w.bytes.slice(0, w.length);
}

const decoder = new TextDecoder();

/**
 * msgpack as JSON text, for printing what a module in event_format msgpack passed on. Iterative,
 * like the encoder (JSON.stringify overflows the stack at that depth). Binary and extension data,
 * which JSON cannot hold, become base64 strings; non-finite floats, null; map keys, strings.
 */
export function msgpackToJson(bytes: Uint8Array): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: string[] = [];
  const open: { left: number; map: boolean; index: number }[] = [];
  let at = 0;
  const take = (n: number) => {
    const start = at;
    at += n;
    if (at > bytes.length) throw new Error("truncated msgpack");
    return start;
  };
  const length = (size: 1 | 2 | 4) => (size === 1 ? view.getUint8(take(1)) : size === 2 ? view.getUint16(take(2)) : view.getUint32(take(4)));
  const text = (n: number) => JSON.stringify(decoder.decode(bytes.subarray(take(n), at)));
  const base64 = (n: number) => JSON.stringify(Buffer.from(bytes.subarray(take(n), at)).toString("base64"));
  const size = (b: number, first: number) => ([1, 2, 4] as const)[b - first];
  do {
    const top = open[open.length - 1];
    if (top && top.left === 0) {
      out.push(top.map ? "}" : "]");
      open.pop();
      continue;
    }
    const isKey = top?.map === true && top.index % 2 === 0;
    if (top) {
      if (top.map && !isKey) out.push(":");
      else if (top.index > 0) out.push(",");
      top.index++;
      top.left--;
    }
    const b = bytes[take(1)];
    let value: string;
    if (b <= 0x7f) value = String(b);
    else if (b >= 0xe0) value = String(b - 0x100);
    else if (b <= 0x9f || b === 0xdc || b === 0xdd || b === 0xde || b === 0xdf) {
      const map = b <= 0x8f || b === 0xde || b === 0xdf;
      const items = b <= 0x9f ? b & 15 : length(b === 0xdc || b === 0xde ? 2 : 4);
      if (isKey) throw new Error("a msgpack map key that is a container has no JSON form");
      out.push(map ? "{" : "[");
      open.push({ left: map ? items * 2 : items, map, index: 0 });
      continue;
    } else if (b <= 0xbf) value = text(b & 31);
    else if (b === 0xc0) value = "null";
    else if (b === 0xc2 || b === 0xc3) value = String(b === 0xc3);
    else if (b >= 0xc4 && b <= 0xc6) value = base64(length(size(b, 0xc4)));
    else if (b >= 0xc7 && b <= 0xc9) {
      const n = length(size(b, 0xc7));
      take(1);
      value = base64(n);
    } else if (b === 0xca || b === 0xcb) {
      const f = b === 0xca ? view.getFloat32(take(4)) : view.getFloat64(take(8));
      value = Number.isFinite(f) ? JSON.stringify(f) : "null";
    } else if (b === 0xcc) value = String(view.getUint8(take(1)));
    else if (b === 0xcd) value = String(view.getUint16(take(2)));
    else if (b === 0xce) value = String(view.getUint32(take(4)));
    else if (b === 0xcf) value = String(view.getBigUint64(take(8)));
    else if (b === 0xd0) value = String(view.getInt8(take(1)));
    else if (b === 0xd1) value = String(view.getInt16(take(2)));
    else if (b === 0xd2) value = String(view.getInt32(take(4)));
    else if (b === 0xd3) value = String(view.getBigInt64(take(8)));
    else if (b >= 0xd4 && b <= 0xd8) {
      take(1);
      value = base64([1, 2, 4, 8, 16][b - 0xd4]);
    } else if (b >= 0xd9 && b <= 0xdb) value = text(length(size(b, 0xd9)));
    else throw new Error(`invalid msgpack byte 0x${b.toString(16)}`);
    out.push(isKey && !value.startsWith('"') ? JSON.stringify(value) : value);
  } while (open.length);
  if (at !== bytes.length) throw new Error("trailing bytes after the msgpack value");
  return out.join("");
}
