// msgpack record I/O, for Fluent Bit's event_format msgpack: validate the record (a map), find the
// message in it (a str, already UTF-8: scored in place), and write the record on.
//
// Fluent Bit copies the result with strdup and takes its strlen as the record's length, so the
// output must contain no NUL byte. Some values have no NUL-free encoding at all (the integer 0,
// most floats, strings of 65,536 bytes or more, maps of 16 to 256 members); a record holding one
// cannot pass intact, and the filter carries it as base64 instead (see writeBase64).
import { addMember, clearMembers, memberCount, memberKeyStart, memberValueEnd } from "./members";
import { containsByte } from "../base/buffers";
import { NO_SPAN, span, spanStart, spanLength } from "../base/span";
import { Events, FAILED, Reader } from "./events";
import { numberAt, reserve, writeByte, writeBytes } from "./output";

// The format codes of the types the filter reads and writes itself (skipValue reads them all).
const FIXMAP: u32 = 0x80; // to 0x8f: up to 15 members
const FIXMAP_LAST: u32 = 0x8f;
const MAP16: u32 = 0xde;
const MAP32: u32 = 0xdf;
const FIXARRAY: u32 = 0x90;
const ARRAY16: u32 = 0xdc;
const ARRAY32: u32 = 0xdd;
const FIXSTR: u32 = 0xa0; // to 0xbf: up to 31 bytes
const FIXSTR_LAST: u32 = 0xbf;
const STR8: u32 = 0xd9;
const STR16: u32 = 0xda;
const STR32: u32 = 0xdb;
const FALSE: u32 = 0xc2;
const TRUE: u32 = 0xc3;

// Items left to read in each open container; 65,536 levels before a record counts as too deep.
const MAX_DEPTH: i32 = 1 << 16;
const remaining = memory.data(MAX_DEPTH * 8, 8);

// @ts-ignore: decorator
@inline function u16At(p: usize): u64 {
  return <u64>bswap<u16>(load<u16>(p));
}
// @ts-ignore: decorator
@inline function u32At(p: usize): u64 {
  return <u64>bswap<u32>(load<u32>(p));
}

/** The bytes of the str at p; NO_SPAN when it is not a str. */
function strAt(p: usize): u64 {
  const b = <u32>load<u8>(p);
  let header: usize;
  let length: usize;
  if (b >= FIXSTR && b <= FIXSTR_LAST) {
    header = 1;
    length = b & 31;
  } else if (b == STR8) {
    header = 2;
    length = load<u8>(p + 1);
  } else if (b == STR16) {
    header = 3;
    length = <usize>u16At(p + 1);
  } else if (b == STR32) {
    header = 5;
    length = <usize>u32At(p + 1);
  } else return NO_SPAN;
  return span(p + header, length);
}

/** Whether the str at p holds exactly the bytes [name, name + length). */
function strEquals(p: usize, name: usize, length: i32): bool {
  const str = strAt(p);
  return str != NO_SPAN && spanLength(str) == <usize>length && memory.compare(spanStart(str), name, <usize>length) == 0;
}

// @ts-ignore: decorator
@inline function isMap(p: usize): bool {
  const b = <u32>load<u8>(p);
  return (b >= FIXMAP && b <= FIXMAP_LAST) || b == MAP16 || b == MAP32;
}

/** The members of the map whose header is at p, in the low 32 bits, and its header's length above them; -1 when it is not one. */
function mapHeader(p: usize, end: usize): i64 {
  if (p >= end) return -1;
  const b = <u32>load<u8>(p);
  if (b >= FIXMAP && b <= FIXMAP_LAST) return <i64>(b & 15) | (<i64>1 << 32);
  if (b == MAP16 && end - p >= 3) return <i64>u16At(p + 1) | (<i64>3 << 32);
  if (b == MAP32 && end - p >= 5) return <i64>u32At(p + 1) | (<i64>5 << 32);
  return -1;
}

// ---------------------------------------------------------------------------------------------
// Writing msgpack without NUL bytes.

/** Whether a container or str count has an encoding without a NUL byte (fixed, 8-bit, 16- or 32-bit). */
function nulFreeCount(n: u64, fixedMax: u64, has8: bool): bool {
  if (n <= fixedMax) return true;
  if (has8 && n <= 0xff) return true;
  if (n <= 0xffff) return (n & 0xff) != 0 && n > 0xff;
  return n <= 0xffffffff && (n & 0xff) != 0 && (n & 0xff00) != 0 && (n & 0xff0000) != 0 && n > 0xffffff;
}

export function canWriteMap(n: u64): bool {
  return nulFreeCount(n, 15, false);
}

export function canWriteStr(length: u64): bool {
  return nulFreeCount(length, 31, true);
}

function writeCount(n: u64, fixed: u32, fixedMax: u64, code8: u32, code16: u32, code32: u32): void {
  if (n <= fixedMax) writeByte(fixed | <u32>n);
  else if (code8 != 0 && n <= 0xff) {
    writeByte(code8);
    writeByte(<u32>n);
  } else if (n <= 0xffff) {
    writeByte(code16);
    writeByte(<u32>(n >> 8));
    writeByte(<u32>(n & 0xff));
  } else {
    writeByte(code32);
    for (let shift = 24; shift >= 0; shift -= 8) writeByte(<u32>((n >> shift) & 0xff));
  }
}

export function writeMapHeader(n: u64): void {
  writeCount(n, FIXMAP, 15, 0, MAP16, MAP32);
}

export function writeStrHeader(length: u64): void {
  writeCount(length, FIXSTR, 31, STR8, STR16, STR32);
}

function writeArrayHeader(n: u64): void {
  writeCount(n, FIXARRAY, 15, 0, ARRAY16, ARRAY32);
}

/** A str of bytes known to hold no NUL, with a length canWriteStr accepts. */
export function writeStr(p: usize, length: usize): void {
  writeStrHeader(<u64>length);
  writeBytes(p, length);
}

/** Whether [p, p + length) holds no NUL byte, so it can be copied into the output as it is. */
export function nulFree(p: usize, length: usize): bool {
  return !containsByte(p, p + length, 0);
}

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const MAX_CHUNK: u64 = 65532; // base64 characters per str: a multiple of 4 with a NUL-free length

/**
 * Bytes as base64, which never contains a NUL: one str when its length allows, else an array of
 * strs whose lengths and count all have NUL-free encodings (each chunk a whole number of groups).
 */
export function writeBase64(p: usize, length: usize): void {
  const total = <u64>((length + 2) / 3) * 4;
  if (total <= MAX_CHUNK && canWriteStr(total)) {
    writeStrHeader(total);
    writeBase64Bytes(p, length);
    return;
  }
  let chunk = MAX_CHUNK;
  let count: u64 = 0;
  while (chunk >= 4) {
    count = (total + chunk - 1) / chunk;
    const last = total - (count - 1) * chunk;
    if (canWriteStr(chunk) && canWriteStr(last) && nulFreeCount(count, 15, false)) break;
    chunk -= 4;
  }
  writeArrayHeader(count);
  const rawChunk = <usize>(chunk / 4 * 3);
  let at = p;
  const stop = p + length;
  for (let i: u64 = 0; i < count; i++) {
    const raw = stop - at < rawChunk ? stop - at : rawChunk;
    writeStrHeader(<u64>((raw + 2) / 3) * 4);
    writeBase64Bytes(at, raw);
    at += raw;
  }
}

function writeBase64Bytes(p: usize, length: usize): void {
  reserve((length + 2) / 3 * 4);
  let i: usize = 0;
  for (; i + 3 <= length; i += 3) {
    const v = (<u32>load<u8>(p + i) << 16) | (<u32>load<u8>(p + i + 1) << 8) | <u32>load<u8>(p + i + 2);
    writeByte(<u32>BASE64.charCodeAt(v >> 18));
    writeByte(<u32>BASE64.charCodeAt((v >> 12) & 63));
    writeByte(<u32>BASE64.charCodeAt((v >> 6) & 63));
    writeByte(<u32>BASE64.charCodeAt(v & 63));
  }
  const rest = length - i;
  if (rest > 0) {
    const v = (<u32>load<u8>(p + i) << 16) | (rest == 2 ? <u32>load<u8>(p + i + 1) << 8 : 0);
    writeByte(<u32>BASE64.charCodeAt(v >> 18));
    writeByte(<u32>BASE64.charCodeAt((v >> 12) & 63));
    writeByte(rest == 2 ? <u32>BASE64.charCodeAt((v >> 6) & 63) : 0x3d);
    writeByte(0x3d);
  }
}

// ---------------------------------------------------------------------------------------------
// The msgpack event format as the filter drives it: the same methods as json.ts's JsonEvents.

@final export class MsgpackEvents extends Reader implements Events {

  /** Fluent Bit (5.1.1, filter_wasm.c) takes an empty result as the record's body in msgpack mode, and the chunk is lost: never drop. */
  @inline canDrop(): bool {
    return false;
  }

  @inline read(record: usize, length: usize): bool {
    return this.parse(record, record + length) != FAILED;
  }

  /** A str's bytes in place; NO_SPAN when the key is not a str. */
  @inline keyText(i: i32): u64 {
    return strAt(memberKeyStart(i));
  }

  @inline findIn(value: u64, name: usize, length: i32): u64 {
    const start = spanStart(value);
    if (!isMap(start)) return NO_SPAN;
    return this.findInMap(start, start + spanLength(value), name, length);
  }

  /** A str's bytes are UTF-8 as they are. */
  @inline text(value: u64, plain: bool): u64 {
    return strAt(spanStart(value));
  }

  /** A str (fixstr or str 8, never a NUL). */
  keyForm(at: usize, name: usize, length: i32): i32 {
    let header = 1;
    if (length < 32) store<u8>(at, <u8>(FIXSTR | length));
    else {
      store<u8>(at, STR8);
      store<u8>(at, <u8>length, 1);
      header = 2;
    }
    memory.copy(at + <usize>header, name, <usize>length);
    return header + length;
  }

  /** Members need no separator. */
  @inline separatorBytes(): i32 {
    return 0;
  }

  @inline open(members: i32): void {
    writeMapHeader(<u64>members);
  }

  @inline close(): void {}

  /** Each member's key and value as they were: a run of members kept is the record's own bytes, copied at once. */
  writeMembers(skipped: usize): void {
    // The record's bytes [from, to) are still to be written.
    let from: usize = 0;
    let to: usize = 0;
    for (let i = 0; i < memberCount(); i++) {
      if (load<u8>(skipped + i)) continue;
      const key = memberKeyStart(i);
      if (key != to) {
        if (to != 0) writeBytes(from, to - from);
        from = key;
      }
      to = memberValueEnd(i);
    }
    if (to != 0) writeBytes(from, to - from);
  }

  boolForm(at: usize, value: bool): i32 {
    store<u8>(at, <u8>(value ? TRUE : FALSE));
    return 1;
  }

  /** As a str: few doubles (and not the integer 0) have an encoding without a NUL byte. */
  @inline writeNumber(at: usize, value: f64, decimals: i32): usize {
    const end = numberAt(at + 1, value, decimals);
    store<u8>(at, <u8>(FIXSTR | <u32>(end - at - 1))); // no number takes more than 31 characters
    return end;
  }

  /** As a str. */
  @inline writeText(p: usize, length: usize): void {
    writeStr(p, length);
  }

  /** As base64 (see writeBase64). */
  @inline writeCarried(record: usize, length: usize): void {
    writeBase64(record, length);
  }

  /** When they hold no NUL byte, and their count has an encoding without one. */
  canCarry(skipped: usize, added: i32): bool {
    let kept = 0;
    for (let i = 0; i < memberCount(); i++) {
      if (load<u8>(skipped + i)) continue;
      if (!nulFree(memberKeyStart(i), memberValueEnd(i) - memberKeyStart(i))) return false;
      kept++;
    }
    return canWriteMap(<u64>(kept + added));
  }

  /** The record [p, end) as one msgpack map, its top-level members into members.ts. */
  private parse(p: usize, end: usize): usize {
    this.end = end;
    clearMembers();
    if (p == end) return this.fail("empty record");
    const header = mapHeader(p, end);
    if (header < 0) return this.fail("not a msgpack map");
    const count = header & 0xffffffff;
    p += <usize>(header >> 32);
    if (<u64>count > <u64>(end - p)) return this.fail("truncated msgpack");
    for (let i: i64 = 0; i < count; i++) {
      const keyStart = p;
      p = this.skipValue(p);
      if (p == FAILED) return FAILED;
      const valueStart = p;
      p = this.skipValue(p);
      if (p == FAILED) return FAILED;
      addMember(keyStart, valueStart, valueStart, p, 0);
    }
    if (p != end) return this.fail("trailing bytes after the record");
    return p;
  }

  /** In the validated map [start, stop), the value of the last member named [name, name + length); NO_SPAN when none. */
  private findInMap(start: usize, stop: usize, name: usize, length: i32): u64 {
    this.end = stop;
    const header = mapHeader(start, stop);
    const count = header & 0xffffffff;
    let p = start + <usize>(header >> 32);
    let found = NO_SPAN;
    for (let i: i64 = 0; i < count; i++) {
      const keyStart = p;
      const valueStart = this.skipValue(p);
      p = this.skipValue(valueStart);
      if (strEquals(keyStart, name, length)) found = span(valueStart, p - valueStart);
    }
    return found;
  }

  /** Past one value of any depth at p. */
  private skipValue(p: usize): usize {
    const end = this.end;
    let depth = 0;
    while (true) {
      if (p >= end) return this.fail("truncated msgpack");
      const b = <u32>load<u8>(p);
      const left = end - p;
      let size: u64 = 1; // header and payload of a scalar, or the header of a container
      let children: u64 = 0;
      if (b <= 0x7f || b >= 0xe0 || b == 0xc0 || b == 0xc2 || b == 0xc3) size = 1;
      else if (b <= 0x8f) children = <u64>(b & 15) * 2;
      else if (b <= 0x9f) children = <u64>(b & 15);
      else if (b <= 0xbf) size = 1 + <u64>(b & 31);
      else if (b == 0xc1) return this.fail("invalid msgpack byte 0xc1");
      else if (b == 0xc4 || b == 0xd9) size = left < 2 ? 2 : 2 + <u64>load<u8>(p + 1);
      else if (b == 0xc5 || b == 0xda) size = left < 3 ? 3 : 3 + u16At(p + 1);
      else if (b == 0xc6 || b == 0xdb) size = left < 5 ? 5 : 5 + u32At(p + 1);
      else if (b == 0xc7) size = left < 2 ? 3 : 3 + <u64>load<u8>(p + 1);
      else if (b == 0xc8) size = left < 3 ? 4 : 4 + u16At(p + 1);
      else if (b == 0xc9) size = left < 5 ? 6 : 6 + u32At(p + 1);
      else if (b == 0xca || b == 0xce || b == 0xd2) size = 5;
      else if (b == 0xcb || b == 0xcf || b == 0xd3) size = 9;
      else if (b == 0xcc || b == 0xd0) size = 2;
      else if (b == 0xcd || b == 0xd1) size = 3;
      else if (b == 0xd4) size = 3;
      else if (b == 0xd5) size = 4;
      else if (b == 0xd6) size = 6;
      else if (b == 0xd7) size = 10;
      else if (b == 0xd8) size = 18;
      else if (b == 0xdc) {
        size = 3;
        if (left >= 3) children = u16At(p + 1);
      } else if (b == 0xdd) {
        size = 5;
        if (left >= 5) children = u32At(p + 1);
      } else if (b == 0xde) {
        size = 3;
        if (left >= 3) children = u16At(p + 1) * 2;
      } else {
        size = 5;
        if (left >= 5) children = u32At(p + 1) * 2;
      }
      if (size > <u64>left) return this.fail("truncated msgpack");
      p += <usize>size;
      if (children > 0) {
        // Every item takes at least a byte: a count beyond what is left is a lie, not a loop to run.
        if (children > <u64>(end - p)) return this.fail("truncated msgpack");
        if (depth == MAX_DEPTH) return this.fail("nested deeper than 65536 levels");
        store<u64>(remaining + (<usize>depth << 3), children);
        depth++;
        continue;
      }
      // A value is complete: count it off its containers.
      while (depth > 0) {
        const at = remaining + (<usize>(depth - 1) << 3);
        const left = load<u64>(at) - 1;
        if (left > 0) {
          store<u64>(at, left);
          break;
        }
        depth--;
      }
      if (depth == 0) return p;
    }
    return FAILED;
  }
}

export const MSGPACK_EVENTS = new MsgpackEvents();
