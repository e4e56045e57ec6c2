// A set of words, ASCII case aside: the sentiment lexicon's words with a valence (sentiment/lexicon.ts
// fills it), asked by the field model's one pass over a message of the tokens it reads (and by the
// scorer of a JSON object's values), so that the sentiment does not read a message that holds none
// (most log lines). Filters that never answer no for a word of the set: for a token of letters,
// which the pass hashes as it reads, a bit per FNV-1a hash; for any other, a bit per length, first
// and last byte (a few operations, inline; most log tokens stop there), then a Bloom filter of two
// bits a word over all its bytes. A byte beyond ASCII is the caller's to note (but in
// piecesMayHoldWord): its lowercase, or a Unicode space in it, may make a word of the set.
import { fnv1aStep, FNV_OFFSET } from "./hash";
import { asciiClassOf, ASCII_SPACE } from "./utf8";

const ENDS_BYTES: i32 = 1 << 17; // 64 lengths x 128 first bytes x 128 last bytes, a bit each
const ends = memory.data(ENDS_BYTES);
const BITS: u64 = 20; // 2^20 bits, 128 KiB: two bits a word, for ~7,500 words
const FILTER_BYTES: i32 = 1 << 17;
const filter = memory.data(FILTER_BYTES);
// A bit per top 20 bits of a word's FNV-1a hash (base/hash.ts) with bit 5 of each byte set: a reader
// that hashes a run of letters as it goes (fields.ts) asks this one at no cost but a load.
const lettersFilter = memory.data(FILTER_BYTES);
const HIGH_BITS: u64 = 0x8080808080808080;
const LOWERED: u64 = 0x2020202020202020; // ASCII case aside: bit 5 set in every byte

/** The longest word of the set (bytes); 0 while it is empty. */
let longest: i32 = 0;
// The longest word holding a '?' or '&' (0: none), bytes that end the field model's tokens but not
// the sentiment's words; and whether one holds a '"', which the field model reads as a quote.
let longestSplit: i32 = 0;
let holdsQuote = false;

/** Empties the set. */
export function clearWords(): void {
  memory.fill(ends, 0, <usize>ENDS_BYTES);
  memory.fill(filter, 0, <usize>FILTER_BYTES);
  memory.fill(lettersFilter, 0, <usize>FILTER_BYTES);
  longest = 0;
  longestSplit = 0;
  holdsQuote = false;
}

/** Adds the word [p, p + length) (ASCII, lowercase as the set's words are). */
export function addWord(p: usize, length: i32): void {
  const bit = endsBit(p, p + <usize>length);
  store<u8>(ends + <usize>(bit >> 3), <u32>load<u8>(ends + <usize>(bit >> 3)) | (<u32>1 << (bit & 7)));
  const h = wordHash(p, length, p + <usize>length);
  let fnv = FNV_OFFSET;
  for (let i = 0; i < length; i++) fnv = fnv1aStep(fnv, <u32>load<u8>(p + i) | 0x20);
  const at = lettersFilter + <usize>(fnv >>> 15);
  store<u8>(at, <u32>load<u8>(at) | (<u32>1 << ((fnv >>> 12) & 7)));
  setBit(<u32>(h >> (64 - BITS)));
  setBit(<u32>((h * 0x9e3779b97f4a7c15) >> (64 - BITS)));
  if (length > longest) longest = length;
  for (let i = 0; i < length; i++) {
    const b = <u32>load<u8>(p + i);
    if ((b == 0x3f || b == 0x26) && length > longestSplit) longestSplit = length;
    if (b == 0x22) holdsQuote = true;
  }
}

// The ends filter's bit of [from, to): its length (64 as 0), first and last byte with bit 5 set.
// @ts-ignore: decorator
@inline function endsBit(from: usize, to: usize): u32 {
  return ((<u32>(to - from) & 63) << 14) | (((<u32>load<u8>(from) | 0x20) & 0x7f) << 7) | ((<u32>load<u8>(to - 1) | 0x20) & 0x7f);
}

// @ts-ignore: decorator
@inline function setBit(bit: u32): void {
  const at = filter + <usize>(bit >> 3);
  store<u8>(at, <u32>load<u8>(at) | (<u32>1 << (bit & 7)));
}

// @ts-ignore: decorator
@inline function hasBit(bit: u32): bool {
  return (<u32>load<u8>(filter + <usize>(bit >> 3)) & (<u32>1 << (bit & 7))) != 0;
}

/**
 * The hash of [p, p + length) with bit 5 of every byte set, 0 with a byte beyond ASCII; bytes up
 * to `readable` may be loaded. Up to 16 bytes, two 8-byte loads; longer, FNV-1a.
 */
function wordHash(p: usize, length: i32, readable: usize): u64 {
  let lo: u64 = 0;
  let hi: u64 = 0;
  if (length <= 16) {
    const loMask = length >= 8 ? <u64>-1 : <u64>-1 >> ((8 - <u64>length) << 3);
    const hiMask = length <= 8 ? 0 : length == 16 ? <u64>-1 : <u64>-1 >> ((16 - <u64>length) << 3);
    if (p + 16 <= readable) {
      lo = load<u64>(p) & loMask;
      hi = load<u64>(p, 8) & hiMask;
    } else {
      for (let i = min(length, 8) - 1; i >= 0; i--) lo = (lo << 8) | <u64>load<u8>(p + <usize>i);
      for (let i = length - 1; i >= 8; i--) hi = (hi << 8) | <u64>load<u8>(p + <usize>i);
    }
    if ((lo | hi) & HIGH_BITS) return 0;
    lo |= LOWERED & loMask;
    hi |= LOWERED & hiMask;
  } else {
    let h = FNV_OFFSET;
    for (let i = 0; i < length; i++) {
      const b = <u32>load<u8>(p + <usize>i);
      if (b >= 0x80) return 0;
      h = fnv1aStep(h, b | 0x20);
    }
    lo = <u64>h;
  }
  const h = (lo * 0xff51afd7ed558ccd) ^ (hi * 0xc4ceb9fe1a85ec53) ^ (<u64>length << 56);
  return (h ^ (h >> 29)) * 0x9e3779b97f4a7c15 | 1;
}

/**
 * Whether the ASCII string [from, to) may be a word of the set, ASCII case aside. Bytes up to
 * `readable` may be loaded.
 */
// @ts-ignore: decorator
@inline export function mayBeWord(from: usize, to: usize, readable: usize): bool {
  const length = <i32>(to - from);
  if (length < 2 || length > longest) return false; // VADER's words are longer than one character
  const bit = endsBit(from, to);
  if ((<u32>load<u8>(ends + <usize>(bit >> 3)) & (<u32>1 << (bit & 7))) == 0) return false;
  return hashedMayBeWord(from, length, readable);
}

/** The second filter, for what passed the first. */
function hashedMayBeWord(from: usize, length: i32, readable: usize): bool {
  const h = wordHash(from, length, readable);
  if (h == 0) return true;
  return hasBit(<u32>(h >> (64 - BITS))) && hasBit(<u32>((h * 0x9e3779b97f4a7c15) >> (64 - BITS)));
}

/**
 * Whether a run of `length` letters (ASCII) whose FNV-1a hash, each byte with bit 5 set, is `fnv`
 * may be a word of the set.
 */
// @ts-ignore: decorator
@inline export function lettersMayBeWord(fnv: u32, length: i32): bool {
  return length > 1 && (<u32>load<u8>(lettersFilter + <usize>(fnv >>> 15)) & (<u32>1 << ((fnv >>> 12) & 7))) != 0;
}

/**
 * Whether some piece of [from, to) between ASCII spaces (\t \n \v \f \r and ' ') may be a word of
 * the set, whole or with what VADER strips from one end (a '.' ',' ':' ...), or it has a byte
 * beyond ASCII.
 */
export function piecesMayHoldWord(from: usize, to: usize, readable: usize): bool {
  let piece = from;
  let p = from;
  while (p < to) {
    // Eight bytes a test where as many remain (a quoted value's run to its next space): a byte
    // beyond ASCII answers at once; with none, the first byte below '!' is the one a space may be.
    if (p + 8 <= to) {
      const x = load<u64>(p);
      if ((x & HIGH_BITS) != 0) return true;
      const below = (x - BELOW_BANG) & HIGH_BITS;
      if (below == 0) {
        p += 8;
        continue;
      }
      p += <usize>(ctz(below) >> 3);
    }
    const b = <u32>load<u8>(p);
    if (b >= 0x80) return true;
    if (asciiClassOf(b) & ASCII_SPACE) {
      if (pieceMayBeWord(piece, p, readable)) return true;
      piece = p + 1;
    }
    p++;
  }
  return pieceMayBeWord(piece, to, readable);
}
const BELOW_BANG: u64 = 0x2121212121212121; // less this, a byte of ASCII below '!' sets its high bit (the lowest such byte exactly)

/** Whether the ASCII piece [from, to), with no space, may be a word of the set, whole or with what VADER strips from one end. */
// @ts-ignore: decorator
@inline export function pieceMayBeWord(from: usize, to: usize, readable: usize): bool {
  if (to - from < 2) return false;
  // Most pieces have no stripped punctuation at either end (or at both, which VADER keeps whole).
  if (isStripped(<u32>load<u8>(from)) == isStripped(<u32>load<u8>(to - 1))) return mayBeWord(from, to, readable);
  return strippedMayBeWord(from, to, readable);
}

function strippedMayBeWord(from: usize, to: usize, readable: usize): bool {
  if (mayBeWord(from, to, readable)) return true;
  let lead = from;
  while (lead < to && isStripped(<u32>load<u8>(lead))) lead++;
  let trail = to;
  while (trail > lead && isStripped(<u32>load<u8>(trail - 1))) trail--;
  return mayBeWord(lead, trail, readable);
}

/** VADER's PUNC_LIST, byte by byte (. ! ? , ; : - ' "): what get_words_plus_punc strips from a word's ends. */
// @ts-ignore: decorator
@inline export function isStripped(b: u32): bool {
  return b < 64 && ((STRIPPED >> <u64>b) & 1) != 0;
}
const STRIPPED: u64 = (<u64>1 << 0x2e) | (<u64>1 << 0x21) | (<u64>1 << 0x3f) | (<u64>1 << 0x2c) | (<u64>1 << 0x3b) | (<u64>1 << 0x3a) | (<u64>1 << 0x2d) | (<u64>1 << 0x27) | (<u64>1 << 0x22);

/** Whether a word of the set holds a '"': then any message may hold one (the field model reads quotes as quotes). */
// @ts-ignore: decorator
@inline export function wordsHoldQuote(): bool {
  return holdsQuote;
}

/**
 * Whether a word of the set may span the '?' or '&' at p, which end the field model's tokens but
 * not the sentiment's words: the piece around it in [start, end), between spaces or '"' (no word
 * of the set holds one, or every message may hold a word: wordsHoldQuote).
 */
// @ts-ignore: decorator
@inline export function mayJoinWord(p: usize, start: usize, end: usize): bool {
  return longestSplit != 0 && joinedMayBeWord(p, start, end);
}

function joinedMayBeWord(p: usize, start: usize, end: usize): bool {
  const limit = longestSplit;
  let from = p;
  while (from > start && !endsJoin(<u32>load<u8>(from - 1))) {
    from--;
    if (<i32>(p - from) >= limit) return false;
  }
  let to = p + 1;
  while (to < end && !endsJoin(<u32>load<u8>(to))) {
    to++;
    if (<i32>(to - from) > limit) return false;
  }
  return mayBeWord(from, to, end);
}

// @ts-ignore: decorator
@inline function endsJoin(b: u32): bool {
  return b == 0x22 || (asciiClassOf(b) & ASCII_SPACE) != 0;
}
