// Just enough of the WebAssembly binary format to find, add and replace active data segments:
// how `tarkin pack` puts the pack into the module's data segment and `tarkin inspect` finds it.

const DATA_SECTION = 11;
const DATA_COUNT_SECTION = 12;

export class WasmFormatError extends Error {}

class Reader {
  constructor(readonly bytes: Uint8Array, public at = 0) {}
  byte(): number {
    if (this.at >= this.bytes.length) throw new WasmFormatError("unexpected end of the module");
    return this.bytes[this.at++];
  }
  u32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if (!(b & 0x80)) return result;
      shift += 7;
      if (shift > 35) throw new WasmFormatError("malformed LEB128 number");
    }
  }
  i32(): number {
    let result = 0;
    let shift = 0;
    let b: number;
    do {
      b = this.byte();
      result |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80 && shift < 35);
    if (shift < 32 && b & 0x40) result |= ~0 << shift;
    return result;
  }
}

function u32Bytes(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

function i32Bytes(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

interface Section {
  id: number;
  start: number; // of the id byte
  contentStart: number;
  end: number;
}

function sections(bytes: Uint8Array): Section[] {
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    throw new WasmFormatError("not a WebAssembly module");
  }
  const r = new Reader(bytes, 8);
  const out: Section[] = [];
  while (r.at < bytes.length) {
    const start = r.at;
    const id = r.byte();
    const size = r.u32();
    const contentStart = r.at;
    r.at += size;
    if (r.at > bytes.length) throw new WasmFormatError("truncated section");
    out.push({ id, start, contentStart, end: r.at });
  }
  return out;
}

export interface DataSegment {
  offset: number;
  bytes: Uint8Array;
  /** Where the whole segment lies in the data section's content. */
  start: number;
  end: number;
}

/** The active segments with a constant i32 offset into memory 0. */
export function dataSegments(bytes: Uint8Array): DataSegment[] {
  const data = sections(bytes).find((s) => s.id === DATA_SECTION);
  if (!data) return [];
  const r = new Reader(bytes, data.contentStart);
  const count = r.u32();
  const out: DataSegment[] = [];
  for (let i = 0; i < count; i++) {
    const start = r.at;
    const flags = r.u32();
    let offset = -1;
    if (flags === 0 || flags === 2) {
      if (flags === 2) r.u32();
      const op = r.byte();
      if (op === 0x41) offset = r.i32() >>> 0;
      else while (r.byte() !== 0x0b);
      if (op === 0x41 && r.byte() !== 0x0b) throw new WasmFormatError("malformed data segment offset");
    }
    const length = r.u32();
    const content = bytes.subarray(r.at, r.at + length);
    r.at += length;
    if (offset >= 0) out.push({ offset, bytes: content, start, end: r.at });
  }
  return out;
}

/** The module with `payload` as the active segment at `offset`, replacing one already there. */
export function withDataSegment(bytes: Uint8Array, offset: number, payload: Uint8Array): Uint8Array {
  const all = sections(bytes);
  const data = all.find((s) => s.id === DATA_SECTION);
  const segment = [0x00, 0x41, ...i32Bytes(offset | 0), 0x0b, ...u32Bytes(payload.length)];
  const parts: Uint8Array[] = [];
  let count = 0;
  const kept: Uint8Array[] = [];
  if (data) {
    const r = new Reader(bytes, data.contentStart);
    count = r.u32();
    const replaced = dataSegments(bytes).find((s) => s.offset === offset);
    if (replaced) {
      kept.push(bytes.subarray(r.at, replaced.start), bytes.subarray(replaced.end, data.end));
      count -= 1;
    } else kept.push(bytes.subarray(r.at, data.end));
  }
  const body = [Uint8Array.from(u32Bytes(count + 1)), ...kept, Uint8Array.from(segment), payload];
  const bodyLength = body.reduce((n, b) => n + b.length, 0);
  const newData = [Uint8Array.from([DATA_SECTION, ...u32Bytes(bodyLength)]), ...body];

  parts.push(bytes.subarray(0, 8));
  let placed = false;
  for (const s of all) {
    if (s.id === DATA_COUNT_SECTION) {
      const content = Uint8Array.from(u32Bytes(count + 1));
      parts.push(Uint8Array.from([DATA_COUNT_SECTION, ...u32Bytes(content.length)]), content);
    } else if (s.id === DATA_SECTION) {
      parts.push(...newData);
      placed = true;
    } else parts.push(bytes.subarray(s.start, s.end));
  }
  if (!placed) parts.push(...newData);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
