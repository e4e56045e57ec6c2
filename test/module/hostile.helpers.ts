// What both hostile-input suites need: readers of JSON and msgpack records of their own,
// independent of the module's, to check what it passes on.
import { decode } from "@msgpack/msgpack";

export const utf8 = new TextEncoder();

export const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

export const lenientUtf8 = new TextDecoder("utf-8", { ignoreBOM: true });

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

export function jsonObject(input: Uint8Array): Record<string, unknown> | null {
  let text: string;
  try {
    text = strictUtf8.decode(input);
  } catch {
    return null;
  }
  try {
    const v = JSON.parse(text);
    return isPlainObject(v) ? v : null;
  } catch {
    return null;
  }
}

/** The top-level keys of a valid JSON object's text, in order, duplicates included, decoded. */
export function jsonTopLevelKeys(text: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      let j = i + 1;
      while (text.charCodeAt(j) !== 0x22) j += text.charCodeAt(j) === 0x5c ? 2 : 1;
      if (depth === 1 && expectKey) {
        const raw = text.slice(i + 1, j);
        keys.push(raw.includes("\\") ? (JSON.parse(text.slice(i, j + 1)) as string) : raw);
      }
      expectKey = false;
      i = j;
    } else if (c === 0x7b || c === 0x5b) {
      depth++;
      expectKey = c === 0x7b && depth === 1;
    } else if (c === 0x7d || c === 0x5d) depth--;
    else if (c === 0x2c && depth === 1) expectKey = true;
  }
  return keys;
}

export interface MpMember {
  keyStart: number;
  valueStart: number;
  valueEnd: number;
}

export function u32(b: Uint8Array, p: number): number {
  return ((b[p] << 24) >>> 0) + (b[p + 1] << 16) + (b[p + 2] << 8) + b[p + 3];
}

/** Where the msgpack value at pos ends, or -1 when it is not one complete, valid value there. */
export function mpValueEnd(b: Uint8Array, pos: number): number {
  let need = 1;
  const n = b.length;
  while (need > 0) {
    if (pos >= n) return -1;
    const t = b[pos];
    const left = n - pos;
    need--;
    let size = 1;
    let children = 0;
    if (t <= 0x7f || t >= 0xe0 || t === 0xc0 || t === 0xc2 || t === 0xc3) size = 1;
    else if (t <= 0x8f) children = (t & 15) * 2;
    else if (t <= 0x9f) children = t & 15;
    else if (t <= 0xbf) size = 1 + (t & 31);
    else if (t === 0xc1) return -1;
    else if (t === 0xc4 || t === 0xd9) size = left < 2 ? Infinity : 2 + b[pos + 1];
    else if (t === 0xc5 || t === 0xda) size = left < 3 ? Infinity : 3 + b[pos + 1] * 256 + b[pos + 2];
    else if (t === 0xc6 || t === 0xdb) size = left < 5 ? Infinity : 5 + u32(b, pos + 1);
    else if (t === 0xc7) size = left < 2 ? Infinity : 3 + b[pos + 1];
    else if (t === 0xc8) size = left < 3 ? Infinity : 4 + b[pos + 1] * 256 + b[pos + 2];
    else if (t === 0xc9) size = left < 5 ? Infinity : 6 + u32(b, pos + 1);
    else if (t === 0xca || t === 0xce || t === 0xd2) size = 5;
    else if (t === 0xcb || t === 0xcf || t === 0xd3) size = 9;
    else if (t === 0xcc || t === 0xd0) size = 2;
    else if (t === 0xcd || t === 0xd1) size = 3;
    else if (t === 0xd4) size = 3;
    else if (t === 0xd5) size = 4;
    else if (t === 0xd6) size = 6;
    else if (t === 0xd7) size = 10;
    else if (t === 0xd8) size = 18;
    else if (t === 0xdc || t === 0xde) {
      size = 3;
      children = left < 3 ? 0 : (b[pos + 1] * 256 + b[pos + 2]) * (t === 0xde ? 2 : 1);
    } else {
      size = 5;
      children = left < 5 ? 0 : u32(b, pos + 1) * (t === 0xdf ? 2 : 1);
    }
    if (size > left) return -1;
    pos += size;
    need += children;
  }
  return pos;
}

/** The members of a record that is exactly one msgpack map, or null. */
export function mpMap(b: Uint8Array): MpMember[] | null {
  if (b.length === 0) return null;
  const t = b[0];
  let count: number;
  let pos: number;
  if (t >= 0x80 && t <= 0x8f) [count, pos] = [t & 15, 1];
  else if (t === 0xde && b.length >= 3) [count, pos] = [b[1] * 256 + b[2], 3];
  else if (t === 0xdf && b.length >= 5) [count, pos] = [u32(b, 1), 5];
  else return null;
  if (count > b.length) return null;
  const members: MpMember[] = [];
  for (let i = 0; i < count; i++) {
    const keyStart = pos;
    const valueStart = mpValueEnd(b, keyStart);
    if (valueStart < 0) return null;
    const valueEnd = mpValueEnd(b, valueStart);
    if (valueEnd < 0) return null;
    members.push({ keyStart, valueStart, valueEnd });
    pos = valueEnd;
  }
  return pos === b.length ? members : null;
}

export function mpKey(b: Uint8Array, m: MpMember): string | null {
  const t = b[m.keyStart];
  const header = t >= 0xa0 && t <= 0xbf ? 1 : t === 0xd9 ? 2 : t === 0xda ? 3 : t === 0xdb ? 5 : 0;
  if (!header) return null;
  return Buffer.from(b.buffer, b.byteOffset + m.keyStart + header, m.valueStart - m.keyStart - header).toString("latin1");
}

export function nulFreeMapCount(n: number): boolean {
  if (n <= 15) return true;
  if (n <= 0xffff) return n > 0xff && (n & 0xff) !== 0;
  return n > 0xffffff && n <= 0xffffffff && (n & 0xff) !== 0 && (n & 0xff00) !== 0 && (n & 0xff0000) !== 0;
}

export const mpDecode = (b: Uint8Array) => decode(b, { mapKeyConverter: (k) => (typeof k === "string" || typeof k === "number" ? k : String(k)) });
