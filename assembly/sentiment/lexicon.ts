// The VADER lexicon as packed by the host (host/core/module/lexicon.ts builds the same layout): an
// open-addressing table of FNV-1a hashes over UTF-8 keys, read in place from the packed data
// so that looking a word up neither copies nor allocates.
//
// Layout: u32 entries, u32 slots (a power of two), u32 key bytes, u32 reserved;
// u16 slot[slots] (entry index + 1, 0 when empty), padded to 4 bytes;
// entry[entries + 1] { u32 key offset, i16 valence x 100 } (keys lie back to back, so a key's
// length is the next entry's offset less its own; the last entry only closes the last key; an
// overlay's word has LEXICON_OVERLAY set in its offset);
// key bytes.

import { fnv1a } from "../base/hash";
import { clearWords, addWord } from "../base/words";
import { asciiClassOf, ASCII_SPACE } from "../base/utf8";
import { LEXICON_ENTRY, LEXICON_ENTRY_VALENCE, LEXICON_OVERLAY, LEXICON_ACCESS, LEXICON_FAILURE } from "../base/layouts";

const ENTRY: usize = LEXICON_ENTRY;
const OFFSET_MASK: u32 = ~(LEXICON_OVERLAY | LEXICON_ACCESS | LEXICON_FAILURE);

// @ts-ignore: decorator
@inline function keyOffset(entry: usize): u32 {
  return load<u32>(entry) & OFFSET_MASK;
}

/** The longest key a pack's lexicon holds (host/core/module/lexicon.ts refuses longer ones). */
export const MAX_KEY: i32 = 64;

/** The lexicon in use: where useLexicon found its parts in the pack, and what it worked out from them. */
class Lexicon {
  slots: usize = 0; // u16 slot[]
  slotMask: u32 = 0; // slots - 1
  entries: usize = 0; // entry[]
  keys: usize = 0; // the key bytes
  longestKeyBytes: i32 = 0;
  longestDigitKeyBytes: i32 = 0;
  generation: i32 = 0; // how many lexicons have been put in use
}
const lexicon = new Lexicon();

// A bit per value of a hash's top 16 bits, set for the keys' hashes: most words of a log line are
// no key, and one bit of this 8 KiB map, which stays in cache, says so without probing the table.
// Empty (as before any lexicon) it answers no key for every word.
const FILTER_BYTES: usize = 8192;
const filter = memory.data(<i32>FILTER_BYTES);

/** The longest key's bytes. */
// @ts-ignore: decorator
@inline export function longestKey(): i32 {
  return lexicon.longestKeyBytes;
}

/** The longest of the keys with an ASCII digit (a few emoticons). */
// @ts-ignore: decorator
@inline export function longestKeyWithDigit(): i32 {
  return lexicon.longestDigitKeyBytes;
}

/** How many lexicons have been put in use: what was read from an earlier one is stale. */
// @ts-ignore: decorator
@inline export function lexiconGeneration(): i32 {
  return lexicon.generation;
}

export function useLexicon(section: usize): void {
  lexicon.generation++;
  let entryCount = load<u32>(section);
  const slotCount = load<u32>(section, 4);
  const slots = section + 16;
  const entries = slots + ((<usize>slotCount * 2 + 3) & ~3);
  const keys = entries + (<usize>entryCount + 1) * ENTRY;
  lexicon.slots = slots;
  lexicon.entries = entries;
  lexicon.keys = keys;
  lexicon.slotMask = slotCount - 1;
  if (slotCount == 0) entryCount = 0;
  memory.fill(filter, 0, FILTER_BYTES);
  clearWords();
  let longestKeyBytes = 0;
  let longestDigitKeyBytes = 0;
  for (let i: usize = 0; i < <usize>entryCount; i++) {
    const entry = entries + i * ENTRY;
    const key = keys + keyOffset(entry);
    const length = <i32>(keyOffset(entry + ENTRY) - keyOffset(entry));
    const h = fnv1a(key, length);
    const at = filter + (h >>> 19);
    store<u8>(at, <u32>load<u8>(at) | (<u32>1 << ((h >>> 16) & 7)));
    if (length > longestKeyBytes) longestKeyBytes = length;
    if (length > longestDigitKeyBytes && hasDigit(key, length)) longestDigitKeyBytes = length;
    // A word with a valence (vader-words.ts describeWord: all but those that only name access) that
    // can be one of VADER's: the field model's pass tells the sentiment whether a message may hold one.
    if ((entryValence(entry) != 0 || !entryNamesAccess(entry)) && length <= MAX_KEY && isOneAsciiWord(key, length)) addWord(key, length);
  }
  lexicon.longestKeyBytes = longestKeyBytes;
  lexicon.longestDigitKeyBytes = longestDigitKeyBytes;
}

/** Whether [p, p + length) is ASCII with no space: a key a word of a message can be (not "fed up"). */
function isOneAsciiWord(p: usize, length: i32): bool {
  for (let i = 0; i < length; i++) {
    const b = <u32>load<u8>(p + i);
    if (b >= 0x80 || (asciiClassOf(b) & ASCII_SPACE)) return false;
  }
  return true;
}

function hasDigit(p: usize, length: i32): bool {
  for (let i = 0; i < length; i++) if (<u32>load<u8>(p + i) - 0x30 < 10) return true;
  return false;
}

/** The lexicon's entry for the word in [p, p + len), whose FNV-1a hash is `hash`; 0 when it has none. */
export function lexiconEntry(p: usize, len: i32, hash: u32): usize {
  if (!(load<u8>(filter + (hash >>> 19)) & (1 << ((hash >>> 16) & 7)))) return 0;
  const slots = lexicon.slots;
  const slotMask = lexicon.slotMask;
  const entries = lexicon.entries;
  const keys = lexicon.keys;
  let slot = hash & slotMask;
  while (true) {
    const index = <u32>load<u16>(slots + (<usize>slot << 1));
    if (index == 0) return 0;
    const entry = entries + <usize>(index - 1) * ENTRY;
    const offset = keyOffset(entry);
    if (<i32>(keyOffset(entry + ENTRY) - offset) == len && memory.compare(keys + offset, p, len) == 0) return entry;
    slot = (slot + 1) & slotMask;
  }
  return 0;
}

/** An entry's valence. */
// @ts-ignore: decorator
@inline export function entryValence(entry: usize): f64 {
  return <f64>load<i16>(entry, LEXICON_ENTRY_VALENCE) / 100.0;
}

/** Whether an entry's word is an overlay's: security evidence, which the decision weighs whatever its frequency. */
// @ts-ignore: decorator
@inline export function entryIsOverlay(entry: usize): bool {
  return (load<u32>(entry) & LEXICON_OVERLAY) != 0;
}

/** Whether an entry's word names access (password, login, user): a line that says it has its negative words read as security evidence. */
// @ts-ignore: decorator
@inline export function entryNamesAccess(entry: usize): bool {
  return (load<u32>(entry) & LEXICON_ACCESS) != 0;
}

/** Whether an entry's word is a failure (operations.tsv): security evidence in a line that names access. */
// @ts-ignore: decorator
@inline export function entryIsFailure(entry: usize): bool {
  return (load<u32>(entry) & LEXICON_FAILURE) != 0;
}
