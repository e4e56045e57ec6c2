// The record's top-level members, as spans of the record's own bytes (key, value), whichever the
// format: the parsers fill it, the filter reads it. Grows to the most members seen, then reused.
import { resize } from "./buffers";

let members: usize = 0;
let capacity: i32 = 0;
export let memberCount: i32 = 0;

export function clearMembers(): void {
  memberCount = 0;
}

export function addMember(keyStart: usize, keyEnd: usize, valueStart: usize, valueEnd: usize): void {
  if (memberCount == capacity) {
    capacity = capacity < 16 ? 16 : capacity << 1;
    members = resize(members, <usize>capacity * 16);
  }
  const at = members + <usize>memberCount * 16;
  store<u32>(at, <u32>keyStart);
  store<u32>(at, <u32>keyEnd, 4);
  store<u32>(at, <u32>valueStart, 8);
  store<u32>(at, <u32>valueEnd, 12);
  memberCount++;
}

// @ts-ignore: decorator
@inline export function memberKeyStart(i: i32): usize {
  return <usize>load<u32>(members + <usize>i * 16);
}
// @ts-ignore: decorator
@inline export function memberKeyEnd(i: i32): usize {
  return <usize>load<u32>(members + <usize>i * 16, 4);
}
// @ts-ignore: decorator
@inline export function memberValueStart(i: i32): usize {
  return <usize>load<u32>(members + <usize>i * 16, 8);
}
// @ts-ignore: decorator
@inline export function memberValueEnd(i: i32): usize {
  return <usize>load<u32>(members + <usize>i * 16, 12);
}
