// VADER's SentiText, and the machinery under the rules (vader.ts): the text's words, found one at a
// time as it lies in memory, and described once each (lexicon valence, case, which rule words of
// vader-rules.ts they are) into a ring, so that the rules read a word's description rather than its
// string, in constant memory and without allocating. None of this is a rule; all of it is how the
// rules stay cheap.
import {
  decodeUtf8, decodedCodePoint, decodedBytes, encodeAt, isJsSpace, utf16Length, Lowercaser, asciiClassOf, asciiLower,
  ASCII_SPACE, ASCII_PUNCTUATION, ASCII_UPPER, ASCII_LOWER, ASCII_DIGIT, ASCII_NOTED, NOT_ASCII,
} from "../base/utf8";
import { fnv1a, fnv1aStep, FNV_OFFSET } from "../base/hash";
import { isStripped } from "../base/words";
import { lexiconEntry, entryValence, entryIsOverlay, entryNamesAccess, entryIsFailure, lexiconGeneration, longestKey, longestKeyWithDigit, MAX_KEY } from "./lexicon";
import { resize } from "../base/buffers";
import {
  allcap_differential, findRuleWord, ruleFlags, ruleBooster, LONGEST_RULE_WORD, BUT_UPPER_ID, LOWERCASE_FLAGS, EXACT_FLAGS,
  W_BUT, W_BUT_UPPER, T_UPPER, T_UPPER_SHIFT, T_IN_LEXICON, T_IN_LEXICON_SHIFT, T_CONTAINS_NT, T_OVERLAY, T_ACCESS, T_FAILURE,
} from "./vader-rules";
import { TRACE_START, TRACE_END, TRACE_VALENCE, TRACE_SENTIMENT, TRACE_RULES, TRACE_WORD } from "../base/layouts";

// The reference's PUNC_LIST, the punctuation get_words_plus_punc strips.
const PUNC_LIST: StaticArray<string> = [
  ".", "!", "?", ",", ";", ":", "-", "'", '"', "!!", "!!!", "??", "???", "?!?", "!?!", "?!?!", "!?!?",
];

// ---------------------------------------------------------------------------------------------
// SentiText: the text's words (get_words_and_emoticons), found one at a time, and what the rules
// need of the whole text, counted in the first pass: words, is_cap_diff, the first "but", "!"
// and "?" (every byte passes through the word finder).

/**
 * SentiText over one text at a time: what the rules need of the whole text, and the word finder's
 * place in it. Its words are described into the module's ring (below), so the last text read is
 * the one whose words the ring holds. Made once by its user and read again for every text.
 */
export class SentiText {
  /** How many words: the reference's words_and_emoticons.length. */
  wordCount: i32 = 0;
  isCapDiff: bool = false;
  /** The first "but" (else "BUT"), for but_check; -1 when none. */
  butIndex: i32 = -1;
  /** How many words have a lexicon valence: with none, no rule can give one any. */
  valencedWords: i32 = 0;
  /** Whether a word names access (password, login, user): the text's negative words are then security evidence. */
  namesAccess: bool = false;
  exclamations: i32 = 0;
  questions: i32 = 0;
  /** Where the text starts and ends. */
  textStart: usize = 0;
  private textEnd: usize = 0;
  /** Where the word finder goes on. */
  private scanPos: usize = 0;
  /** Words described so far: all of them after read, unless the text has more than the ring holds. */
  private described: i32 = 0;

  /**
   * SentiText's constructor over the UTF-8 text in [start, end), this instance reused: every word
   * found and described (the last WORDS of them kept in the ring), and the counts above.
   */
  read(start: usize, end: usize): SentiText {
    prepareCache();
    this.textStart = start;
    this.textEnd = end;
    this.scanPos = start;
    this.exclamations = 0;
    this.questions = 0;
    let words = 0;
    let allcapWords = 0;
    let valenced = 0;
    let access = false;
    let firstBut = -1;
    let firstButUpper = -1;
    while (true) {
      const flags = this.readWord(words);
      if (flags < 0) break;
      // Counted without a branch; what few words are (access, but) behind one.
      valenced += (flags >> T_IN_LEXICON_SHIFT) & 1;
      allcapWords += (flags >> T_UPPER_SHIFT) & 1;
      if (flags & (T_ACCESS | W_BUT | W_BUT_UPPER)) {
        if (flags & T_ACCESS) access = true;
        if (firstBut < 0 && flags & W_BUT) firstBut = words;
        if (firstButUpper < 0 && flags & W_BUT_UPPER) firstButUpper = words;
      }
      words++;
    }
    this.wordCount = words;
    this.valencedWords = valenced;
    this.namesAccess = access;
    this.butIndex = firstBut >= 0 ? firstBut : firstButUpper;
    this.isCapDiff = allcap_differential(words, allcapWords);
    this.described = words;
    if (words > WORDS) {
      // The ring holds the last words: read the text again from its first ("!" and "?" are
      // counted already: the counts stand).
      this.described = 0;
      this.scanPos = start;
    }
    return this;
  }

  /** Whether every word is in the ring already: then describeAhead has nothing to do. */
  get allDescribed(): bool {
    return this.described == this.wordCount;
  }

  /** Makes sure the words the rules may read around word `index` (two ahead) are in the ring. */
  // @ts-ignore: decorator
  @inline describeAhead(index: i32): void {
    while (this.described < this.wordCount && this.described - index < 3) {
      this.readWord(this.described);
      this.described++;
    }
  }

  /**
   * Finds the next word and describes it into the ring as word `index`: returns its flags, or -1
   * past the last word. A word is a run between \s characters longer than one UTF-16 unit (the
   * reference's split(/\s/) and length > 1 filter), after get_words_plus_punc's replacement.
   */
  private readWord(index: i32): i32 {
    const end = this.textEnd;
    while (this.scanPos < end) {
      const start = this.scanPos;
      const first = <u32>load<u8>(start);
      let k = asciiClassOf(first);
      if (k & ASCII_SPACE) {
        this.scanPos = start + 1;
        continue;
      }
      let p = start;
      let letters: u32 = 0; // ASCII_UPPER, ASCII_LOWER and ASCII_DIGIT, as seen
      if (!(k & (ASCII_PUNCTUATION | NOT_ASCII))) {
        // Most words of a log line are ASCII text up to a space or the end: one tight loop finds
        // them, with nothing to strip. Any other token goes on in readToken from where it stopped.
        letters = k;
        p = start + 1;
        while (p < end) {
          const b = <u32>load<u8>(p);
          k = asciiClassOf(b);
          if (k & (ASCII_SPACE | ASCII_PUNCTUATION | NOT_ASCII)) break;
          letters |= k;
          p++;
        }
        if (p == end || k & ASCII_SPACE) {
          this.scanPos = p == end ? p : p + 1;
          if (p - start <= 1) continue;
          return <i32>describeWord(index & RING_MASK, start, p, letters, end);
        }
      }
      const flags = this.readToken(index, start, p, letters);
      if (flags >= 0) return flags;
    }
    return -1;
  }

  /**
   * Reads on a token that starts at `start` and was read as plain ASCII text up to `from` (`letters`
   * its kinds): to the next \s, counting "!" and "?", noting an apostrophe. When it is a word, its
   * punctuation stripped as get_words_plus_punc does, describes it as word `index` and returns its
   * flags; else -1.
   */
  private readToken(index: i32, start: usize, from: usize, letters: u32): i32 {
    const end = this.textEnd;
    let p = from;
    let space: usize = 0;
    let ascii = true;
    let extraUnits = 0; // UTF-16 units less bytes, from the characters that are not ASCII
    let apostrophe = false;
    let seenText = from > start;
    let lead = start; // where the leading punctuation ends
    let trail = p; // where the last character that is not punctuation ends
    let pending = false; // punctuation since the last text
    let interior = false;
    let value: usize = 0; // where the value of key=value starts, after its '=' (and an opening '"')
    while (p < end) {
      const b = <u32>load<u8>(p);
      let k = asciiClassOf(b);
      if (k & ASCII_PUNCTUATION) {
        pending = true;
        if (k & ASCII_NOTED) {
          if (b == 0x27) apostrophe = true;
          else if (b == 0x21) this.exclamations++;
          else if (b == 0x3f) this.questions++;
          else if (b == 0x3d) value = p + 1;
          else if (value == p) value = p + 1; // a '"' opening key="value"
        }
        p++;
        continue;
      }
      if (k & ASCII_SPACE) {
        space = 1;
        break;
      }
      let q = p + 1;
      if (k & NOT_ASCII) {
        const decoded = decodeUtf8(p, end);
        const cp = decodedCodePoint(decoded);
        const length = decodedBytes(decoded);
        if (isJsSpace(cp)) {
          space = length;
          break;
        }
        ascii = false;
        q = p + length;
        extraUnits += utf16Length(cp) - <i32>length;
      } else {
        // A run of ASCII text: the common case, in a loop of its own.
        letters |= k;
        while (q < end) {
          k = asciiClassOf(<u32>load<u8>(q));
          if (k & (ASCII_SPACE | ASCII_PUNCTUATION | NOT_ASCII)) break;
          letters |= k;
          q++;
        }
      }
      if (!seenText) {
        seenText = true;
        lead = p;
      } else if (pending) interior = true;
      pending = false;
      p = q;
      trail = p;
    }
    this.scanPos = p + space;
    if (<i32>(p - start) + extraUnits <= 1) return -1;
    let wordStart = start;
    let wordEnd = p;
    // get_words_plus_punc's replacement: it maps "p+w" and "w+p" to w for every PUNC_LIST entry p
    // and every punctuation-free word w of the text. Since w is then this very token stripped, the
    // map reduces to a test of the token's leading punctuation [start, lead) or trailing [trail, p),
    // when it has no other. What is stripped is ASCII punctuation, so every non-ASCII unit lies in
    // what is kept.
    if (seenText && !interior) {
      if (lead > start && trail == p) {
        if (isPuncListed(start, <i32>(lead - start)) && <i32>(p - lead) + extraUnits > 1) wordStart = lead;
      } else if (trail < p && lead == start) {
        if (isPuncListed(trail, <i32>(p - trail)) && <i32>(trail - start) + extraUnits > 1) wordEnd = trail;
      }
    }
    const kind = letters | (ascii ? 0 : NOT_ASCII) | (apostrophe ? K_APOSTROPHE : 0);
    const flags = describeWord(index & RING_MASK, wordStart, wordEnd, kind, end);
    // logfmt's msg="login failed": VADER reads `msg="login` whole; that it names access is read from its value.
    if (value != 0 && (flags & T_ACCESS) == 0 && namesAccess(value, wordEnd)) {
      store<u32>(slotAt(index), flags | T_ACCESS, D_FLAGS);
      return <i32>(flags | T_ACCESS);
    }
    return <i32>flags;
  }
}

/** Whether [start, end) is a word of ASCII letters that names access (lexicon.ts entryNamesAccess). */
function namesAccess(start: usize, end: usize): bool {
  const n = <i32>(end - start);
  if (n < 2 || n > MAX_KEY) return false;
  let h = FNV_OFFSET;
  for (let i = 0; i < n; i++) {
    const b = <u32>load<u8>(start + i);
    if ((asciiClassOf(b) & (ASCII_UPPER | ASCII_LOWER)) == 0) return false;
    const lower = asciiLower(b);
    store<u8>(lowerBuffer + i, <u8>lower);
    h = fnv1aStep(h, lower);
  }
  const entry = lexiconEntry(lowerBuffer, n, h);
  return entry != 0 && entryNamesAccess(entry);
}

// What a word is made of, as the word finder saw it: the ASCII class bits of its letters
// (ASCII_UPPER, ASCII_LOWER, ASCII_DIGIT), NOT_ASCII when it has another character (then bytes
// are not characters), and this.
const K_APOSTROPHE: u32 = 1 << 8; // an apostrophe, so maybe "n't"

function isPuncListed(p: usize, len: i32): bool {
  if (len == 1) return isStripped(<u32>load<u8>(p)); // the one-character entries, as bits
  for (let i = 0; i < PUNC_LIST.length; i++) if (isBytes(p, p + <usize>len, unchecked(PUNC_LIST[i]))) return true;
  return false;
}

/**
 * is_upper_python: an ASCII capital and no ASCII lowercase letter; given the ASCII letter kinds
 * the word holds (stripping takes only punctuation, so the token's are the word's).
 */
// @ts-ignore: decorator
@inline function is_upper_python(letters: u32): bool {
  return letters == ASCII_UPPER;
}

function isBytes(start: usize, end: usize, text: string): bool {
  if (<i32>(end - start) != text.length) return false;
  for (let i = 0; i < text.length; i++) if (<u32>load<u8>(start + i) != <u32>text.charCodeAt(i)) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// The ring of described words: the module's, holding the words of the last text a SentiText read.

export const WORDS: i32 = 1024;
const RING_MASK: i32 = WORDS - 1;
// A word's description, in a ring slot and in a cache entry alike, so a cached one is copied over
// as three u64s: u32 flags, i32 the rule word it is as written (or -1), f64 the lexicon valence of
// the lowercased word, f64 its BOOSTER_DICT value. A ring slot then has u32 start and u32 end, the
// word's span, for the trace and the record's reason (its most negative word).
const D_FLAGS = 0;
const D_ID = 4;
const D_VALENCE = 8;
const D_BOOSTER = 16;
const D_START = 24;
const D_END = 28;
const RING_SLOT = 32;
const ring = memory.data(WORDS * RING_SLOT, 8);

// @ts-ignore: decorator
@inline function slotAt(index: i32): usize {
  return ring + <usize>(index & RING_MASK) * RING_SLOT;
}

/** Word `index`'s flags (vader-rules.ts W_, T_). */
// @ts-ignore: decorator
@inline export function flagsOf(index: i32): u32 {
  return load<u32>(slotAt(index), D_FLAGS);
}
/** Whether word `index` has this flag. */
// @ts-ignore: decorator
@inline export function has(index: i32, flag: u32): bool {
  return (flagsOf(index) & flag) != 0;
}
/** The rule word that word `index` is as written, or -1. */
// @ts-ignore: decorator
@inline export function idOf(index: i32): i32 {
  return load<i32>(slotAt(index), D_ID);
}
/** Word `index`'s lexicon valence (lowercased), NaN when it has none. */
// @ts-ignore: decorator
@inline export function valenceOf(index: i32): f64 {
  return load<f64>(slotAt(index), D_VALENCE);
}
/** Where word `index` starts and ends in the text. */
// @ts-ignore: decorator
@inline export function wordStartOf(index: i32): usize {
  return <usize>load<u32>(slotAt(index), D_START);
}
// @ts-ignore: decorator
@inline export function wordEndOf(index: i32): usize {
  return <usize>load<u32>(slotAt(index), D_END);
}
/** Word `index`'s BOOSTER_DICT value (lowercased), 0 when it is no booster. */
// @ts-ignore: decorator
@inline export function boosterOf(index: i32): f64 {
  return load<f64>(slotAt(index), D_BOOSTER);
}

// The reference's lexicon keys are at most 19 bytes, a pack's at most MAX_KEY: a longer lowercased word can match nothing.
const lowerBuffer = memory.data(MAX_KEY + 4);
const lowering = new Lowercaser(); // for words that are not all ASCII

/** The longest a lowercased word can be and still be a key: of the lexicon in use or a rule word. */
let keyLimit: i32 = MAX_KEY; // a global: read for every word, set only when the lexicon changes

/**
 * Whether the current ASCII word, of `length` bytes, can be no key once lowercased: longer than
 * keyLimit, or holding a digit and longer than every key with one (no rule word has a digit). Log
 * tokens such as times, addresses and paths are so.
 */
// @ts-ignore: decorator
@inline function asciiNoKey(length: i32, kind: u32): bool {
  return length > keyLimit || ((kind & ASCII_DIGIT) != 0 && length > longestKeyWithDigit());
}

/**
 * Lowercases [start, end) as toLowerCase() does into lowerBuffer, hashing it: returns the
 * lowercased length << 32 | its FNV-1a hash, or -1 when it can be no key (longer than keyLimit).
 * An ASCII word has passed asciiNoKey already.
 */
function lowercaseWord(start: usize, end: usize, ascii: bool): i64 {
  if (ascii) {
    const n = <i32>(end - start);
    let h = FNV_OFFSET;
    for (let i = 0; i < n; i++) {
      const b = <u32>load<u8>(start + i);
      const lower = asciiLower(b);
      store<u8>(lowerBuffer + i, <u8>lower);
      h = fnv1aStep(h, lower);
    }
    return (<i64>n << 32) | <i64>h;
  }
  lowering.begin(start, end);
  let n = 0;
  while (true) {
    const cp = lowering.next();
    if (cp < 0) break;
    if (n > keyLimit) return -1;
    n += encodeAt(lowerBuffer + n, <u32>cp);
  }
  return (<i64>n << 32) | <i64>fnv1a(lowerBuffer, n);
}

function containsNt(start: usize, end: usize): bool {
  for (let p = start; p + 3 <= end; p++) {
    if (load<u8>(p) == 0x6e && load<u8>(p, 1) == 0x27 && load<u8>(p, 2) == 0x74) return true;
  }
  return false;
}

// Log lines repeat their words: the description of a word of at most 16 bytes is kept in a
// direct-mapped cache keyed by its bytes (all it depends on), so a repeated word costs one probe.
const CACHE_BITS: u64 = 12;
const CACHE_KEY: usize = 16; // the longest word kept
const CACHE_ENTRY = 48; // u64 key (its first 8 bytes), u64 the next 8, u32 length (0: empty), u32 reserved, then the description
const CACHE_DESCRIPTION = 24;
const CACHE_BYTES = <i32>CACHE_ENTRY << <i32>CACHE_BITS;
const cache = memory.data(CACHE_BYTES, 8); // static: its address a constant, and no heap grown at the first text
let cacheGeneration = -1; // the lexicon the cache was filled from: a global, as the cache outlives a text

/** The cache, emptied (and keyLimit set) when another lexicon has been put in use. */
function prepareCache(): void {
  if (cacheGeneration == lexiconGeneration()) return;
  keyLimit = min(MAX_KEY, max(longestKey(), LONGEST_RULE_WORD));
  memory.fill(cache, 0, CACHE_BYTES);
  cacheGeneration = lexiconGeneration();
}

// @ts-ignore: decorator
@inline function copyDescription(to: usize, from: usize): void {
  store<u64>(to, load<u64>(from, D_FLAGS), D_FLAGS);
  store<u64>(to, load<u64>(from, D_VALENCE), D_VALENCE);
  store<u64>(to, load<u64>(from, D_BOOSTER), D_BOOSTER);
}

/**
 * Looks the word [wordStart, wordEnd) of this `kind`, in a text ending at `textEnd`, up every way
 * the rules need, into ring slot `slot`; returns its flags.
 */
// @ts-ignore: decorator
@inline function describeWord(slot: i32, wordStart: usize, wordEnd: usize, kind: u32, textEnd: usize): u32 {
  const at = slotAt(slot);
  // Where the word is: kept for the trace, and for a word with a valence (the record's reason names the most negative).
  store<u32>(at, <u32>wordStart, D_START);
  store<u32>(at, <u32>wordEnd, D_END);
  const length = wordEnd - wordStart;
  const ascii = (kind & NOT_ASCII) == 0;
  const upper = is_upper_python(kind & (ASCII_UPPER | ASCII_LOWER));
  const apostrophe = (kind & K_APOSTROPHE) != 0;
  let flags: u32 = upper ? T_UPPER : 0;
  let valence: f64 = NaN;
  let booster: f64 = 0;
  let id = -1;
  let entry: usize = 0;
  let key: u64 = 0;
  let keyRest: u64 = 0; // its bytes 8 to 16
  // A token that can be no key is described by its case and "n't" alone, with no lookup; nor is
  // it cached, where it would push out words that recur for tokens that mostly do not.
  if (!ascii || !asciiNoKey(<i32>length, kind)) {
    if (length <= CACHE_KEY) {
      if (wordStart + CACHE_KEY <= textEnd) {
        key = load<u64>(wordStart);
        if (length < 8) key &= <u64>-1 >> ((8 - <u64>length) << 3);
        else if (length > 8) keyRest = load<u64>(wordStart, 8) & (<u64>-1 >> ((CACHE_KEY - <u64>length) << 3));
      } else {
        for (let i = <i32>min(length, 8) - 1; i >= 0; i--) key = (key << 8) | <u64>load<u8>(wordStart + i);
        for (let i = <i32>length - 1; i >= 8; i--) keyRest = (keyRest << 8) | <u64>load<u8>(wordStart + i);
      }
      entry = cache + ((<usize>(((key ^ keyRest * 0xff51afd7ed558ccd) * 0x9e3779b97f4a7c15 + length) >> (64 - CACHE_BITS))) * CACHE_ENTRY);
      if (load<u64>(entry) == key && load<u64>(entry, 8) == keyRest && load<u32>(entry, 16) == <u32>length) {
        copyDescription(at, entry + CACHE_DESCRIPTION);
        return load<u32>(at, D_FLAGS);
      }
    }
    const lowered = lowercaseWord(wordStart, wordEnd, ascii);
    let lowerId = -1;
    if (lowered >= 0) {
      const lowerLength = <i32>(lowered >> 32);
      const hash = <u32>lowered;
      const lexiconAt = lexiconEntry(lowerBuffer, lowerLength, hash);
      if (lexiconAt != 0) {
        const entered = entryValence(lexiconAt);
        // A word that only names access has no valence: to VADER it is no lexicon word.
        if (entryNamesAccess(lexiconAt)) flags |= T_ACCESS;
        if (entered != 0 || (flags & T_ACCESS) == 0) {
          valence = entered;
          flags |= T_IN_LEXICON;
          if (entryIsOverlay(lexiconAt)) flags |= T_OVERLAY;
          else if (entryIsFailure(lexiconAt)) flags |= T_FAILURE;
        }
      }
      lowerId = findRuleWord(lowerBuffer, lowerLength, hash);
      if (lowerId >= 0) {
        flags |= unchecked(ruleFlags[lowerId]) & LOWERCASE_FLAGS;
        booster = unchecked(ruleBooster[lowerId]);
      }
    }
    // As written: every rule word is lowercase ASCII but "BUT", so a word with no capital is its
    // lowercase self, and a word with capitals or other characters can only be "BUT".
    if (ascii && (kind & ASCII_UPPER) == 0) id = lowerId;
    else if (isBytes(wordStart, wordEnd, "BUT")) id = BUT_UPPER_ID;
    if (id >= 0) flags |= unchecked(ruleFlags[id]) & EXACT_FLAGS;
  }
  if (apostrophe && containsNt(wordStart, wordEnd)) flags |= T_CONTAINS_NT;
  store<u32>(at, flags, D_FLAGS);
  store<i32>(at, id, D_ID);
  store<f64>(at, valence, D_VALENCE);
  store<f64>(at, booster, D_BOOSTER);
  if (entry != 0) {
    store<u64>(entry, key);
    store<u64>(entry, keyRest, 8);
    store<u32>(entry, <u32>length, 16);
    copyDescription(entry + CACHE_DESCRIPTION, at);
  }
  return flags;
}

// ---------------------------------------------------------------------------------------------
// The trace, for `tarkin explain`.

/**
 * The words of a text as polarity_scores scored them (layouts.ts TRACE_WORD): made once by its
 * user, who gives it to polarity_scores to have it filled.
 */
export class WordTrace {
  /** Where the words are (it moves as it grows). */
  at: usize = 0;
  count: i32 = 0;
  /** The rules (vader.ts RULE_) that changed the word being scored, noted as they do. */
  rules: u32 = 0;
  private capacity: i32 = 0;

  /** Adds word `index` of `text`, which scored `sentiment` by this.rules. */
  add(text: SentiText, index: i32, sentiment: f64): void {
    if (this.count == this.capacity) {
      this.capacity = this.capacity < 64 ? 64 : this.capacity << 1;
      this.at = resize(this.at, <usize>this.capacity * TRACE_WORD);
    }
    const at = this.at + <usize>this.count * TRACE_WORD;
    const slot = slotAt(index);
    const textStart = <u32>text.textStart;
    this.count++;
    memory.fill(at, 0, TRACE_WORD);
    store<u32>(at + TRACE_START, load<u32>(slot, D_START) - textStart);
    store<u32>(at + TRACE_END, load<u32>(slot, D_END) - textStart);
    store<f64>(at + TRACE_VALENCE, load<f64>(slot, D_VALENCE));
    store<f64>(at + TRACE_SENTIMENT, sentiment);
    store<u32>(at + TRACE_RULES, this.rules);
  }
}
