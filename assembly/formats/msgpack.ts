// msgpack record I/O, for Fluent Bit's event_format msgpack: validate the record (a map), find the
// message in it (a str, already UTF-8: scored in place), and write the record on.
//
// Fluent Bit copies the result with strdup and takes its strlen as the record's length, so the
// output must contain no NUL byte. Some values have no NUL-free encoding at all (the integer 0,
// most floats, strings of 65,536 bytes or more, maps of 16 to 256 members); a record holding one
// cannot pass intact, and the filter carries it as base64 instead (see writeBase64).
import { addMember, clearMembers, memberCount, memberKeyStart, memberValueEnd } from "./members";
import { containsByte } from "../base/buffers";
import { reserve, writeByte, writeBytes, writeNumber, writeRounded, out, outLength } from "./output";

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

let pos: usize = 0;
let end: usize = 0;
/** Why the last scan failed; a static string, so setting it allocates nothing. */
export let failure: string = "";

function fail(why: string): bool {
  failure = why;
  return false;
}

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

/** Past one value of any depth. */
function skipValue(): bool {
  let depth = 0;
  while (true) {
    if (pos >= end) return fail("truncated msgpack");
    const b = <u32>load<u8>(pos);
    const left = end - pos;
    let size: u64 = 1; // header and payload of a scalar, or the header of a container
    let children: u64 = 0;
    if (b <= 0x7f || b >= 0xe0 || b == 0xc0 || b == 0xc2 || b == 0xc3) size = 1;
    else if (b <= 0x8f) children = <u64>(b & 15) * 2;
    else if (b <= 0x9f) children = <u64>(b & 15);
    else if (b <= 0xbf) size = 1 + <u64>(b & 31);
    else if (b == 0xc1) return fail("invalid msgpack byte 0xc1");
    else if (b == 0xc4 || b == 0xd9) size = left < 2 ? 2 : 2 + <u64>load<u8>(pos + 1);
    else if (b == 0xc5 || b == 0xda) size = left < 3 ? 3 : 3 + u16At(pos + 1);
    else if (b == 0xc6 || b == 0xdb) size = left < 5 ? 5 : 5 + u32At(pos + 1);
    else if (b == 0xc7) size = left < 2 ? 3 : 3 + <u64>load<u8>(pos + 1);
    else if (b == 0xc8) size = left < 3 ? 4 : 4 + u16At(pos + 1);
    else if (b == 0xc9) size = left < 5 ? 6 : 6 + u32At(pos + 1);
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
      if (left >= 3) children = u16At(pos + 1);
    } else if (b == 0xdd) {
      size = 5;
      if (left >= 5) children = u32At(pos + 1);
    } else if (b == 0xde) {
      size = 3;
      if (left >= 3) children = u16At(pos + 1) * 2;
    } else {
      size = 5;
      if (left >= 5) children = u32At(pos + 1) * 2;
    }
    if (size > <u64>left) return fail("truncated msgpack");
    pos += <usize>size;
    if (children > 0) {
      // Every item takes at least a byte: a count beyond what is left is a lie, not a loop to run.
      if (children > <u64>(end - pos)) return fail("truncated msgpack");
      if (depth == MAX_DEPTH) return fail("nested deeper than 65536 levels");
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
    if (depth == 0) return true;
  }
  return false;
}

/** The members of the map whose header is at pos: count them, or -1 when it is not a map. */
function mapHeader(): i64 {
  if (pos >= end) return -1;
  const b = <u32>load<u8>(pos);
  if (b >= FIXMAP && b <= FIXMAP_LAST) {
    pos++;
    return <i64>(b & 15);
  }
  if (b == MAP16 && end - pos >= 3) {
    pos += 3;
    return <i64>u16At(pos - 2);
  }
  if (b == MAP32 && end - pos >= 5) {
    pos += 5;
    return <i64>u32At(pos - 4);
  }
  return -1;
}

/** Validates the record as one msgpack map and records its top-level members; false sets `failure`. */
export function parseRecord(start: usize, length: usize): bool {
  pos = start;
  end = start + length;
  clearMembers();
  if (length == 0) return fail("empty record");
  const count = mapHeader();
  if (count < 0) return fail("not a msgpack map");
  if (<u64>count > <u64>(end - pos)) return fail("truncated msgpack");
  for (let i: i64 = 0; i < count; i++) {
    const keyStart = pos;
    if (!skipValue()) return false;
    const valueStart = pos;
    if (!skipValue()) return false;
    addMember(keyStart, valueStart, valueStart, pos, 0);
  }
  if (pos != end) return fail("trailing bytes after the record");
  return true;
}

/** The bytes of the str at p, as strStart and strEnd; false when it is not a str. */
export let strStart: usize = 0;
export let strEnd: usize = 0;
export function strAt(p: usize): bool {
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
  } else return false;
  strStart = p + header;
  strEnd = strStart + length;
  return true;
}

/** Whether the str at p holds exactly the bytes [name, name + length). */
function strEquals(p: usize, name: usize, length: i32): bool {
  return strAt(p) && <i32>(strEnd - strStart) == length && memory.compare(strStart, name, <usize>length) == 0;
}

/** In the validated map value at [start, stop), the last member named [name, name + length): its value span. */
export let foundStart: usize = 0;
export let foundEnd: usize = 0;
export function findInMap(start: usize, stop: usize, name: usize, length: i32): bool {
  pos = start;
  end = stop;
  const count = mapHeader();
  let found = false;
  for (let i: i64 = 0; i < count; i++) {
    const keyStart = pos;
    skipValue();
    const valueStart = pos;
    skipValue();
    const valueEnd = pos;
    if (strEquals(keyStart, name, length)) {
      found = true;
      foundStart = valueStart;
      foundEnd = valueEnd;
    }
  }
  return found;
}

// @ts-ignore: decorator
@inline export function isMap(p: usize): bool {
  const b = <u32>load<u8>(p);
  return (b >= FIXMAP && b <= FIXMAP_LAST) || b == MAP16 || b == MAP32;
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

@final export class MsgpackEvents {
  /** Fluent Bit (5.1.1, filter_wasm.c) takes an empty result as the record's body in msgpack mode, and the chunk is lost: never drop. */
  @inline canDrop(): bool {
    return false;
  }

  @inline read(record: usize, length: usize): bool {
    return parseRecord(record, length);
  }

  @inline failure(): string {
    return failure;
  }

  /** Member i's key, a str's bytes in place (text() says where); its length, -1 when it is not a str. */
  @inline keyText(i: i32): i32 {
    if (!strAt(memberKeyStart(i))) return -1;
    return <i32>(strEnd - strStart);
  }

  /** Where the last keyText or messageText is. */
  @inline text(): usize {
    return strStart;
  }

  /** Whether the value [start, stop) is a map with a member of this name: the last one's value is found(). */
  @inline findIn(start: usize, stop: usize, name: usize, length: i32): bool {
    return isMap(start) && findInMap(start, stop, name, length);
  }

  @inline foundStart(): usize {
    return foundStart;
  }

  @inline foundEnd(): usize {
    return foundEnd;
  }

  /** Whether the value at start is a str: its bytes are stringStart()..stringEnd(). */
  @inline isString(start: usize, stop: usize): bool {
    return strAt(start);
  }

  @inline stringStart(): usize {
    return strStart;
  }

  @inline stringEnd(): usize {
    return strEnd;
  }

  /** A str's bytes are UTF-8 as they are: [start, stop), text() says where. */
  @inline messageText(start: usize, stop: usize, plain: bool): i32 {
    strStart = start;
    return <i32>(stop - start);
  }

  /** An own key's form as written before its value, at `at`: a str (fixstr or str 8, never a NUL); its length. */
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

  /** Member i of the record read, its key and value as they were. */
  @inline writeMember(i: i32, first: bool): void {
    writeBytes(memberKeyStart(i), memberValueEnd(i) - memberKeyStart(i));
  }

  @inline writeBool(value: bool): void {
    writeByte(value ? TRUE : FALSE);
  }

  /** A number, as a str: few doubles (and not the integer 0) have an encoding without a NUL byte. */
  writeNumber(value: f64, decimals: i32): void {
    const header = outLength;
    writeByte(FIXSTR); // no number takes more than 31 characters
    if (decimals > 0) writeRounded(value, decimals);
    else writeNumber(value);
    store<u8>(out + header, <u8>(FIXSTR | <u32>(outLength - header - 1)));
  }

  /** UTF-8 text, as a str. */
  @inline writeText(p: usize, length: usize): void {
    writeStr(p, length);
  }

  /** A record that cannot go on as itself, as base64 (see writeBase64). */
  @inline writeCarried(record: usize, length: usize): void {
    writeBase64(record, length);
  }

  /** Whether the members not flagged in `skipped` (a byte each) and `added` more can be written without a NUL byte. */
  canCarry(skipped: usize, added: i32): bool {
    let kept = 0;
    for (let i = 0; i < memberCount; i++) {
      if (load<u8>(skipped + i)) continue;
      if (!nulFree(memberKeyStart(i), memberValueEnd(i) - memberKeyStart(i))) return false;
      kept++;
    }
    return canWriteMap(<u64>(kept + added));
  }
}

export const MSGPACK_EVENTS = new MsgpackEvents();
