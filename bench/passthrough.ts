// The least a Fluent Bit wasm filter can do, for `npm run bench`'s Fluent Bit rows: the ABI's
// malloc and free, and a filter that returns the record it was given (Fluent Bit copies it in with
// its NUL, so it is already a NUL-terminated result). What Fluent Bit itself spends per record on
// a wasm filter (the record to JSON and back, the copies, the call) is then all that is measured.
// And the least an annotating filter can do: append tarkin's five fields as fixed text, so that
// what Fluent Bit spends on carrying them is measured apart from what tarkin spends computing them.
// Compiled fresh by the benchmark (bench/passthrough.asconfig.json).

let top: usize = 0;
let live = 0;

/** A bump allocator that starts again when everything is freed: Fluent Bit frees both buffers after each call. */
export function malloc(size: usize): usize {
  if (top == 0 || live == 0) top = (__heap_base + 15) & ~<usize>15;
  const at = top;
  const need = at + size;
  const have = <usize>memory.size() << 16;
  if (need > have && memory.grow(<i32>((need - have + 0xffff) >>> 16)) < 0) return 0;
  top = (need + 15) & ~<usize>15;
  live++;
  return at;
}

export function free(ptr: usize): void {
  if (ptr != 0 && live > 0) live--;
}

export function passthrough_filter(tag: usize, tag_len: i32, time_sec: u32, time_nsec: u32, record: usize, record_len: i32): usize {
  return record;
}

// tarkin's fields as its default model writes them for most records (annotate mode, default prefix),
// coverage and reason included: what Fluent Bit spends carrying them, whoever computes them.
const ANNOTATION = ',"tarkin_surprise":0,"tarkin_infrequent":false,"tarkin_sentiment":0,"tarkin_fear":0,"tarkin_anomaly":false,"tarkin_covered":true,"tarkin_reason":""}';
const annotation = memory.data(160);

/** The record with the annotation in place of its closing brace (the records are JSON objects). */
export function annotate_filter(tag: usize, tag_len: i32, time_sec: u32, time_nsec: u32, record: usize, record_len: i32): usize {
  if (load<u8>(annotation) == 0) for (let i = 0; i < ANNOTATION.length; i++) store<u8>(annotation + i, <u8>ANNOTATION.charCodeAt(i));
  let end = record + <usize>record_len;
  while (end > record && load<u8>(end - 1) != 0x7d) end--;
  if (end == record) return record;
  const kept = end - 1 - record;
  const length = <usize>ANNOTATION.length;
  // Past the allocations, not one of them: when Fluent Bit frees the record, the next one starts here again.
  const out = top;
  const need = out + kept + length + 1;
  const have = <usize>memory.size() << 16;
  if (need > have && memory.grow(<i32>((need - have + 0xffff) >>> 16)) < 0) return record;
  memory.copy(out, record, kept);
  memory.copy(out + kept, annotation, length);
  store<u8>(out + kept + length, 0);
  return out;
}

// The floors under any scoring, for the bench's operation counts and Fluent Bit rows: the fixed
// annotation after the least a filter that reads the record can do. A byte scan reads each byte
// once; a lookup floor also hashes each token (a run between spaces, tabs and quotes) and looks it
// up once in a table of 1 MiB, as a model of one count a token would: no shapes, no fields, no
// sentiment. What is left between them and a goal is what a model can spend.

/** What the floors computed, exported so that no optimiser drops their work. */
export let floorSum: u32 = 0;

/** The record's bytes read once, then annotate_filter. */
export function scan_annotate_filter(tag: usize, tag_len: i32, time_sec: u32, time_nsec: u32, record: usize, record_len: i32): usize {
  let sum = floorSum;
  const end = record + <usize>record_len;
  for (let p = record; p < end; p++) sum = (sum ^ <u32>load<u8>(p)) + 1;
  floorSum = sum;
  return annotate_filter(tag, tag_len, time_sec, time_nsec, record, record_len);
}

// Per byte, what it does to a token's hash: 0x80 ends the token (space, tab, '"'), a letter's bit 5
// lowercases it, any other byte is hashed as it is.
const LOOKUP_SPLIT: u32 = 0x80;
const lookupClasses = memory.data(256);
for (let b = 0; b < 256; b++) {
  const c = b == 0x20 || b == 0x09 || b == 0x22 ? LOOKUP_SPLIT : ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x7a) ? 0x20 : 0;
  store<u8>(lookupClasses + b, <u8>c);
}
const LOOKUP_TABLE_BITS: u32 = 18; // 2^18 counts of 4 bytes: 1 MiB
const lookupTable = memory.data(4 << LOOKUP_TABLE_BITS, 16);
// Every count 1, so that floorSum counts the lookups (test/bench/passthrough.test.ts).
for (let i: usize = 0; i < <usize>1 << LOOKUP_TABLE_BITS; i++) store<u32>(lookupTable + (i << 2), 1);

/** Each token of the record hashed (FNV-1a) and looked up once, then annotate_filter. */
export function lookup_annotate_filter(tag: usize, tag_len: i32, time_sec: u32, time_nsec: u32, record: usize, record_len: i32): usize {
  let sum = floorSum;
  let p = record;
  const end = record + <usize>record_len;
  while (p < end) {
    let b = <u32>load<u8>(p);
    let c = <u32>load<u8>(<usize>b, lookupClasses);
    p++;
    if (c == LOOKUP_SPLIT) continue;
    let h: u32 = 2166136261;
    while (true) {
      h = (h ^ (b | c)) * 16777619;
      if (p >= end) break;
      b = <u32>load<u8>(p);
      c = <u32>load<u8>(<usize>b, lookupClasses);
      p++;
      if (c == LOOKUP_SPLIT) break;
    }
    sum += load<u32>(<usize>((h * 0x9e3779b1) >>> (32 - LOOKUP_TABLE_BITS)) << 2, lookupTable);
  }
  floorSum = sum;
  return annotate_filter(tag, tag_len, time_sec, time_nsec, record, record_len);
}

// The same two for event_format msgpack: Fluent Bit hands the record as msgpack without a NUL and
// reads back a NUL-terminated msgpack record, so even returning it as it is takes one copy.

/** The record copied, with its NUL. */
export function passthrough_msgpack_filter(tag: usize, tag_len: i32, time_sec: u32, time_nsec: u32, record: usize, record_len: i32): usize {
  return copied(record, <usize>record_len, 0, 0);
}

// tarkin's fields as msgpack, made on first use: fixstr keys; numbers as strs and an empty reason,
// as tarkin writes them in msgpack mode (no NUL byte); booleans as themselves.
const MSGPACK_KEYS: StaticArray<string> = ["tarkin_surprise", "tarkin_infrequent", "tarkin_sentiment", "tarkin_fear", "tarkin_anomaly", "tarkin_covered", "tarkin_reason"];
const MSGPACK_VALUES: StaticArray<i32> = [0x30, 0xc2, 0x30, 0x30, 0xc2, 0xc3, -1]; // 0x30: the str "0"; -1: the empty str
const annotationMsgpack = memory.data(160);
let annotationMsgpackLength: usize = 0;

function prepareAnnotationMsgpack(): void {
  let n: usize = 0;
  for (let i = 0; i < MSGPACK_KEYS.length; i++) {
    const key = MSGPACK_KEYS[i];
    store<u8>(annotationMsgpack + n++, <u8>(0xa0 | key.length));
    for (let j = 0; j < key.length; j++) store<u8>(annotationMsgpack + n++, <u8>key.charCodeAt(j));
    const value = MSGPACK_VALUES[i];
    if (value == 0x30) {
      store<u8>(annotationMsgpack + n++, 0xa1);
      store<u8>(annotationMsgpack + n++, 0x30);
    } else if (value < 0) store<u8>(annotationMsgpack + n++, 0xa0);
    else store<u8>(annotationMsgpack + n++, <u8>value);
  }
  annotationMsgpackLength = n;
}
const ANNOTATION_FIELDS = 7;

/** The record with the annotation's seven pairs after its members (a fixmap of up to 8 members; any other record goes on copied). */
export function annotate_msgpack_filter(tag: usize, tag_len: i32, time_sec: u32, time_nsec: u32, record: usize, record_len: i32): usize {
  const first = <u32>load<u8>(record);
  if (record_len < 1 || (first & 0xf0) != 0x80 || (first & 0x0f) + ANNOTATION_FIELDS > 15) return copied(record, <usize>record_len, 0, 0);
  if (annotationMsgpackLength == 0) prepareAnnotationMsgpack();
  const out = copied(record, <usize>record_len, annotationMsgpack, annotationMsgpackLength);
  if (out != 0) store<u8>(out, <u8>(first + ANNOTATION_FIELDS));
  return out;
}

/** [record, + length) then [extra, + extraLength) and a NUL, past the allocations (as annotate_filter writes). */
function copied(record: usize, length: usize, extra: usize, extraLength: usize): usize {
  const out = top == 0 ? (__heap_base + 15) & ~<usize>15 : top;
  const need = out + length + extraLength + 1;
  const have = <usize>memory.size() << 16;
  if (need > have && memory.grow(<i32>((need - have + 0xffff) >>> 16)) < 0) return 0;
  memory.copy(out, record, length);
  memory.copy(out + length, extra, extraLength);
  store<u8>(out + length + extraLength, 0);
  return out;
}
