// The text the sentiment reads of a message. VADER splits words at spaces, and a JSON object
// (`{"msg":"login failed","user":"bob"}`) has none between its members: read as written, it holds
// no word of the lexicon. Its string values are read instead, in place: keys, punctuation, numbers,
// true, false and null become spaces, so a word lies where it lies in the message (the reason and
// explain name it from there).
import { Growable } from "../base/buffers";

const QUOTE: u32 = 0x22;
const BACKSLASH: u32 = 0x5c;
const SPACE: u8 = 0x20;

const copy = new Growable(); // grows to the longest JSON message seen, then is reused

/** Where the text of the message [start, end) starts (its length is the message's): the message itself, or a copy as above for a JSON object (one that opens with `{"` or `{ `). */
export function sentimentText(start: usize, end: usize): usize {
  if (end - start < 2 || load<u8>(start) != 0x7b || (load<u8>(start + 1) != QUOTE && load<u8>(start + 1) != SPACE)) return start;
  const n = end - start;
  const text = copy.reserve(n);
  memory.fill(text, SPACE, n);
  let p = start;
  while (p < end) {
    if (<u32>load<u8>(p) != QUOTE) {
      p++;
      continue;
    }
    const from = ++p;
    while (p < end) {
      const b = <u32>load<u8>(p);
      if (b == QUOTE) break;
      p += b == BACKSLASH ? 2 : 1;
    }
    if (p > end) p = end;
    const to = p;
    if (p < end) p++; // its closing quote
    let next = p;
    while (next < end && load<u8>(next) == SPACE) next++;
    // A key (followed by ':') is no text; a value is, as written.
    if (next < end && load<u8>(next) == 0x3a) continue;
    memory.copy(text + (from - start), from, to - from);
  }
  return text;
}
