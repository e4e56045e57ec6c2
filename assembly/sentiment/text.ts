// The text the sentiment reads of a message. VADER splits words at spaces, and a JSON object
// (`{"msg":"login failed","user":"bob"}`) has none between its members: read as written, it holds
// no word of the lexicon. From its first key on, its string values are read instead, in place:
// keys, punctuation, numbers, true, false and null become spaces, so a word lies where it lies in
// the message (the reason and explain name it from there). What comes before (a syslog prefix) is
// read as written.
import { Growable } from "../base/buffers";

const QUOTE: u32 = 0x22;
const BACKSLASH: u32 = 0x5c;
const SPACE: u8 = 0x20;

const copy = new Growable(); // grows to the longest JSON message seen, then is reused

/**
 * Where the text of the message [start, end) starts (its length is the message's): the message
 * itself, or, where `from` (the quote that opens its first JSON key; 0 for none) is given, a copy
 * as above.
 */
export function sentimentText(start: usize, end: usize, from: usize): usize {
  if (from == 0) return start;
  const n = end - start;
  const text = copy.reserve(n);
  memory.copy(text, start, from - start);
  memory.fill(text + (from - start), SPACE, end - from);
  let p = from;
  while (p < end) {
    if (<u32>load<u8>(p) != QUOTE) {
      p++;
      continue;
    }
    const opened = ++p;
    while (p < end) {
      const b = <u32>load<u8>(p);
      if (b == QUOTE) break;
      p += b == BACKSLASH ? 2 : 1;
    }
    if (p > end) p = end;
    const closed = p;
    if (p < end) p++; // its closing quote
    let next = p;
    while (next < end && load<u8>(next) == SPACE) next++;
    // A key (followed by ':') is no text; a value is, as written.
    if (next < end && load<u8>(next) == 0x3a) continue;
    memory.copy(text + (opened - start), opened, closed - opened);
  }
  return text;
}
