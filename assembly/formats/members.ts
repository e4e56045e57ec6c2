// The record's top-level members, as spans of the record's own bytes (key, value), whichever the
// format, and in JSON whether each span is plain (has no escape, so it is its own text): the
// parsers fill it, the filter reads it. Grows to the most members seen, then reused.
import { resize } from "../base/buffers";

// The table and its size: module-level, as the reader fills it and the filter reads it on every
// record, and a global costs the interpreter one operation where a field costs two.
let table: usize = 0;
let capacity: i32 = 0;
let count: i32 = 0;

export function clearMembers(): void {
  count = 0;
}

// @ts-ignore: decorator
@inline export function memberCount(): i32 {
  return count;
}

const MEMBER = 20; // u32 key start, key end, value start, value end, plain flags
export const KEY_PLAIN: u32 = 1;
export const VALUE_PLAIN: u32 = 2;

export function addMember(keyStart: usize, keyEnd: usize, valueStart: usize, valueEnd: usize, plain: u32): void {
  const n = count;
  if (n == capacity) {
    capacity = capacity < 16 ? 16 : capacity << 1;
    table = resize(table, <usize>capacity * MEMBER);
  }
  const at = table + <usize>n * MEMBER;
  store<u32>(at, <u32>keyStart);
  store<u32>(at, <u32>keyEnd, 4);
  store<u32>(at, <u32>valueStart, 8);
  store<u32>(at, <u32>valueEnd, 12);
  store<u32>(at, plain, 16);
  count = n + 1;
}

// @ts-ignore: decorator
@inline export function memberKeyStart(i: i32): usize {
  return <usize>load<u32>(table + <usize>i * MEMBER);
}
// @ts-ignore: decorator
@inline export function memberKeyEnd(i: i32): usize {
  return <usize>load<u32>(table + <usize>i * MEMBER, 4);
}
// @ts-ignore: decorator
@inline export function memberValueStart(i: i32): usize {
  return <usize>load<u32>(table + <usize>i * MEMBER, 8);
}
// @ts-ignore: decorator
@inline export function memberValueEnd(i: i32): usize {
  return <usize>load<u32>(table + <usize>i * MEMBER, 12);
}
// @ts-ignore: decorator
@inline export function memberIsPlain(i: i32, part: u32): bool {
  return (load<u32>(table + <usize>i * MEMBER, 16) & part) != 0;
}
