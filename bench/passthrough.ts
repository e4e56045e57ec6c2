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
