// VADER sentiment, ported rule by rule from vader-sentiment 1.1.3 (vaderSentiment.js), whose
// results are the specification: every function below is named as its counterpart there.
//
// The reference splits the text into a list of words; its rules look at most three words back and
// two ahead. This port streams instead: a first pass describes each word (its lookups) and counts
// what the rules need of the whole text (words, ALL-CAPS words, the first "but", "!" and "?"), a
// second scores the words. Descriptions go into a ring of WORDS entries: a text of up to WORDS
// words (any log line) is read once, a longer one is read again in the second pass, so a record of
// any size is scored in constant memory without allocating.
import {
  decodeAt, decodedLength, encodeAt, isJsSpace, utf16Length, lowerBegin, lowerNext, asciiClassOf, asciiLower,
  ASCII_SPACE, ASCII_PUNCTUATION, ASCII_UPPER, ASCII_LOWER, ASCII_DIGIT, NOT_ASCII,
} from "./utf8";
import { fnv1a, fnv1aStep, FNV_OFFSET, lexiconValence, lexiconGeneration, longestKey, longestKeyWithDigit } from "./lexicon";
import { allocate, resize } from "./buffers";
import { countByte, countBytes, prepareCounting } from "./surprise";

// Constants of the reference, as named there.
const B_INCR: f64 = 0.293;
const B_DECR: f64 = -0.293;
const C_INCR: f64 = 0.733;
const N_SCALAR: f64 = -0.74;

const PUNC_LIST: StaticArray<string> = [
  ".", "!", "?", ",", ";", ":", "-", "'", '"', "!!", "!!!", "??", "???", "?!?", "!?!", "?!?!", "!?!?",
];

// The word lists, each as one space-separated string: a few strings in the module's data rather
// than a hundred and twenty, for the packed module's size budget.
const NEGATE =
  "aint arent cannot cant couldnt darent didnt doesnt ain't aren't can't couldn't daren't didn't " +
  "doesn't dont hadnt hasnt havent isnt mightnt mustnt neither don't hadn't hasn't haven't isn't " +
  "mightn't mustn't neednt needn't never none nope nor not nothing nowhere oughtnt shant shouldnt " +
  "uhuh wasnt werent oughtn't shan't shouldn't uh-uh wasn't weren't without wont wouldnt won't " +
  "wouldn't rarely seldom despite";

// BOOSTER_DICT's one-word keys, by value. Its keys with a space ("just enough", "kind of",
// "sort of") can never equal a word; idioms_check meets them as two-word sequences.
const BOOSTER_INCR =
  "absolutely amazingly awfully completely considerably decidedly deeply effing enormously " +
  "entirely especially exceptionally extremely fabulously flipping flippin fricking frickin " +
  "frigging friggin fully fucking greatly hella highly hugely incredibly intensely majorly more " +
  "most particularly purely quite really remarkably so substantially thoroughly totally " +
  "tremendously uber unbelievably unusually utterly very";
const BOOSTER_DECR =
  "almost barely hardly kinda kindof kind-of less little marginally occasionally partly scarcely " +
  "slightly somewhat sorta sortof sort-of";
const BOOSTER_BIGRAMS: StaticArray<string> = ["just enough", "kind of", "sort of"];

const SPECIAL_CASE_IDIOMS: StaticArray<string> = [
  "the shit", "the bomb", "bad ass", "yeah right", "cut the mustard", "kiss of death", "hand to mouth",
];
const SPECIAL_CASE_IDIOM_VALUES: StaticArray<f64> = [3, 3, 1.5, -2, 2, -1.5, -2];

// ---------------------------------------------------------------------------------------------
// The rule words, in one small table built once: each word carries flags for the comparisons the
// reference makes with it, and an id for the multi-word sequences (idioms, booster bigrams).

// Compared with the word lowercased (the reference calls toLowerCase() first).
const W_BOOSTER: u32 = 1 << 0;
const W_KIND: u32 = 1 << 1;
const W_OF: u32 = 1 << 2;
const W_LEAST: u32 = 1 << 3;
const W_AT: u32 = 1 << 4;
const W_VERY: u32 = 1 << 5;
const LOWERCASE_FLAGS: u32 = W_BOOSTER | W_KIND | W_OF | W_LEAST | W_AT | W_VERY;
// Compared with the word as written (the reference uses === or indexOf).
const W_NEGATE: u32 = 1 << 6;
const W_BUT: u32 = 1 << 7;
const W_BUT_UPPER: u32 = 1 << 8;
const W_NEVER: u32 = 1 << 9;
const W_SO_THIS: u32 = 1 << 10;
const EXACT_FLAGS: u32 = W_NEGATE | W_BUT | W_BUT_UPPER | W_NEVER | W_SO_THIS;
// Per word of the text, besides the above.
const T_UPPER: u32 = 1 << 11; // is_upper_python
const T_IN_LEXICON: u32 = 1 << 12;
const T_NEGATED: u32 = 1 << 13; // negated([word]): a NEGATE word, or containing "n't"

const RULE_SLOTS: i32 = 512;
const ruleWords = new Array<string>();
const ruleFlags = new Array<u32>();
const ruleBooster = new Array<f64>();
const ruleSlots = new StaticArray<i32>(RULE_SLOTS);
// The rule words' bytes (all ASCII), so a word of the text is compared without calls per character.
const ruleBytes = memory.data(2048);
const ruleAt = new Array<i32>();
let ruleBytesUsed = 0;
const IDIOM_WORDS = new StaticArray<i32>(SPECIAL_CASE_IDIOMS.length * 3); // word ids, -1 past the end
const BIGRAM_WORDS = new StaticArray<i32>(BOOSTER_BIGRAMS.length * 2);

function ruleWord(word: string, flags: u32, booster: f64): i32 {
  // Its bytes where a new word's go, to hash them as a word of the text is hashed.
  const bytes = ruleBytes + <usize>ruleBytesUsed;
  for (let i = 0; i < word.length; i++) store<u8>(bytes + i, <u8>word.charCodeAt(i));
  let slot = <i32>(fnv1a(bytes, word.length) & <u32>(RULE_SLOTS - 1));
  while (unchecked(ruleSlots[slot]) >= 0) {
    const id = unchecked(ruleSlots[slot]);
    if (ruleWords[id] == word) {
      ruleFlags[id] |= flags;
      if (flags & W_BOOSTER) ruleBooster[id] = booster;
      return id;
    }
    slot = (slot + 1) & (RULE_SLOTS - 1);
  }
  const id = ruleWords.length;
  if (word.length > longestRuleWord) longestRuleWord = word.length;
  ruleWords.push(word);
  ruleFlags.push(flags);
  ruleBooster.push(booster);
  ruleAt.push(ruleBytesUsed);
  ruleBytesUsed += word.length;
  unchecked((ruleSlots[slot] = id));
  return id;
}

/** Every word of a space-separated list, as rule words. */
function ruleWordList(list: string, flags: u32, booster: f64): void {
  const words = list.split(" ");
  for (let i = 0; i < words.length; i++) ruleWord(words[i], flags, booster);
}

/** Splits a rule phrase on its spaces into word ids, `width` of them, -1 past its last word. */
function phraseWords(phrase: string, out: StaticArray<i32>, at: i32, width: i32): void {
  const words = phrase.split(" ");
  for (let i = 0; i < width; i++) out[at + i] = i < words.length ? ruleWord(words[i], 0, 0) : -1;
}

let rulesReady = false;
let longestRuleWord = 0; // none has a digit
let butUpperId = -1;

function buildRules(): void {
  for (let i = 0; i < RULE_SLOTS; i++) unchecked((ruleSlots[i] = -1));
  ruleWordList(BOOSTER_INCR, W_BOOSTER, B_INCR);
  ruleWordList(BOOSTER_DECR, W_BOOSTER, B_DECR);
  ruleWordList(NEGATE, W_NEGATE, 0);
  ruleWord("kind", W_KIND, 0);
  ruleWord("of", W_OF, 0);
  ruleWord("least", W_LEAST, 0);
  ruleWord("at", W_AT, 0);
  ruleWord("very", W_VERY, 0);
  ruleWord("but", W_BUT, 0);
  butUpperId = ruleWord("BUT", W_BUT_UPPER, 0);
  ruleWord("never", W_NEVER, 0);
  ruleWord("so", W_SO_THIS, 0);
  ruleWord("this", W_SO_THIS, 0);
  for (let i = 0; i < SPECIAL_CASE_IDIOMS.length; i++) phraseWords(SPECIAL_CASE_IDIOMS[i], IDIOM_WORDS, i * 3, 3);
  for (let i = 0; i < BOOSTER_BIGRAMS.length; i++) phraseWords(BOOSTER_BIGRAMS[i], BIGRAM_WORDS, i * 2, 2);
  rulesReady = true;
}

/** The rule word with these bytes, or -1. */
function findRuleWord(p: usize, len: i32, hash: u32): i32 {
  let slot = <i32>(hash & <u32>(RULE_SLOTS - 1));
  while (true) {
    const id = unchecked(ruleSlots[slot]);
    if (id < 0) return -1;
    if (unchecked(ruleWords[id]).length == len && memory.compare(ruleBytes + <usize>unchecked(ruleAt[id]), p, <usize>len) == 0) return id;
    slot = (slot + 1) & (RULE_SLOTS - 1);
  }
  return -1;
}

// ---------------------------------------------------------------------------------------------
// Words: SentiText.get_words_and_emoticons, one word at a time.

let textStart: usize = 0;
let textEnd: usize = 0;
let scanPos: usize = 0;

// What a word is made of, as the word finder saw it: the ASCII class bits of its letters
// (ASCII_UPPER, ASCII_LOWER, ASCII_DIGIT), NOT_ASCII when it has another character (then bytes
// are not characters), and this. Words pass from the finder to their description as (start, end,
// kind), in locals rather than globals.
const K_APOSTROPHE: u32 = 1 << 8; // an apostrophe, so maybe "n't"

// PUNC_LIST's one-character entries (. ! ? , ; : - ' "), all below 0x40, as bits: the stripped
// punctuation of a log word is mostly one character, and a bit test beats the list walk.
const PUNC_SINGLES: u64 =
  (<u64>1 << 0x2e) | (<u64>1 << 0x21) | (<u64>1 << 0x3f) | (<u64>1 << 0x2c) | (<u64>1 << 0x3b) |
  (<u64>1 << 0x3a) | (<u64>1 << 0x2d) | (<u64>1 << 0x27) | (<u64>1 << 0x22);

function isPuncListed(p: usize, len: i32): bool {
  if (len == 1) {
    const b = <u64>load<u8>(p);
    return b < 0x40 && ((PUNC_SINGLES >> b) & 1) != 0;
  }
  for (let i = 0; i < PUNC_LIST.length; i++) if (isBytes(p, p + <usize>len, unchecked(PUNC_LIST[i]))) return true;
  return false;
}

/** "!" and "?" in the text so far, for punctuation emphasis: every byte passes through readWord. */
let exclamations = 0;
let questions = 0;
/** Whether readWord hands every byte it reads to the surprise's countBytes (see polarity_scores). */
let counting = false;

function beginWords(start: usize, end: usize): void {
  textStart = start;
  textEnd = end;
  scanPos = start;
  exclamations = 0;
  questions = 0;
}

/**
 * Finds the next word and describes it into the ring as word `index`: returns its flags, or -1
 * past the last word. A word is a run between \s characters longer than one UTF-16 unit (the
 * reference's split(/\s/) and length > 1 filter), after get_words_plus_punc's replacement. The
 * reference maps "p+w" and "w+p" to w for every PUNC_LIST entry p and every punctuation-free
 * word w of the text; since w is then this very token stripped, the map reduces to this test,
 * made in the same pass that finds the word: where its leading punctuation ends, where its
 * trailing punctuation begins, and whether any lies between.
 */
function readWord(index: i32): i32 {
  let wordStart: usize = 0;
  let wordEnd: usize = 0;
  let kind: u32 = 0;
  while (true) {
    if (scanPos >= textEnd) return -1;
    const start = scanPos;
    const end = textEnd;
    // Most words of a log line are ASCII text up to a space or the end: one tight loop finds them,
    // with nothing to strip. Any other token is read the general way below, which goes on from
    // where that loop stopped.
    const count = counting;
    let p = start;
    let letters: u32 = 0; // ASCII_UPPER, ASCII_LOWER and ASCII_DIGIT, as seen
    let seenText = false;
    const first = <u32>load<u8>(start);
    let k = asciiClassOf(first);
    if (k & ASCII_SPACE) {
      scanPos = start + 1;
      if (count) countByte(first);
      continue;
    }
    if (!(k & (ASCII_PUNCTUATION | NOT_ASCII))) {
      if (count) countByte(first);
      letters = k;
      p = start + 1;
      while (p < end) {
        const b = <u32>load<u8>(p);
        k = asciiClassOf(b);
        if (k & (ASCII_SPACE | ASCII_PUNCTUATION | NOT_ASCII)) break;
        if (count) countByte(b);
        letters |= k;
        p++;
      }
      if (p == end || k & ASCII_SPACE) {
        scanPos = p == end ? p : p + 1;
        if (count && p < end) countByte(load<u8>(p));
        if (p - start <= 1) continue;
        wordStart = start;
        wordEnd = p;
        kind = letters;
        break;
      }
      seenText = true;
    }
    const counted = p; // the bytes before it are counted
    let space: usize = 0;
    let ascii = true;
    let extraUnits = 0; // UTF-16 units less bytes, from the characters that are not ASCII
    let apostrophe = false;
    let lead = start; // where the leading punctuation ends
    let trail = p; // where the last character that is not punctuation ends
    let pending = false; // punctuation since the last text
    let interior = false;
    while (p < end) {
      const b = <u32>load<u8>(p);
      let k = asciiClassOf(b);
      if (k & ASCII_PUNCTUATION) {
        pending = true;
        if (b == 0x27) apostrophe = true;
        else if (b == 0x21) exclamations++;
        else if (b == 0x3f) questions++;
        p++;
        continue;
      }
      if (k & ASCII_SPACE) {
        space = 1;
        break;
      }
      let q = p + 1;
      if (k & NOT_ASCII) {
        const cp = decodeAt(p, end);
        if (isJsSpace(cp)) {
          space = <usize>decodedLength;
          break;
        }
        ascii = false;
        q = p + <usize>decodedLength;
        extraUnits += utf16Length(cp) - decodedLength;
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
    scanPos = p + space;
    if (count) countBytes(counted, scanPos);
    if (<i32>(p - start) + extraUnits <= 1) continue;
    wordStart = start;
    wordEnd = p;
    kind = letters | (ascii ? 0 : NOT_ASCII) | (apostrophe ? K_APOSTROPHE : 0);
    if (seenText && !interior) {
      if (lead > start && trail == p) {
        // What is stripped is ASCII punctuation, so every non-ASCII unit lies in what is kept.
        if (isPuncListed(start, <i32>(lead - start)) && <i32>(p - lead) + extraUnits > 1) wordStart = lead;
      } else if (trail < p && lead == start) {
        if (isPuncListed(trail, <i32>(p - trail)) && <i32>(trail - start) + extraUnits > 1) wordEnd = trail;
      }
    }
    break;
  }
  return <i32>describeWord(index & RING_MASK, wordStart, wordEnd, kind);
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
// The ring of described words.

const WORDS: i32 = 1024;
const RING_MASK: i32 = WORDS - 1;
// A word's description, in a ring slot and in a cache entry alike, so a cached one is copied over
// as three u64s: u32 flags, i32 the rule word it is as written (or -1), f64 the lexicon valence of
// the lowercased word, f64 its BOOSTER_DICT value. A ring slot then has u32 start and u32 end, the
// word's span, kept only while tracing.
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

// The reference's lexicon keys are at most 19 bytes; a longer lowercased word can match nothing.
const MAX_KEY: i32 = 64;
const lowerBuffer = memory.data(MAX_KEY + 4);

/** The FNV-1a hash of the last lowercaseWord's result. */
let lowerHash: u32 = 0;

/** The longest a lowercased word can be and still be a key: of the lexicon in use or a rule word. */
let keyLimit: i32 = MAX_KEY;

/**
 * Whether the current ASCII word, of `length` bytes, can be no key once lowercased: longer than
 * keyLimit, or holding a digit and longer than every key with one (no rule word has a digit). Log
 * tokens such as times, addresses and paths are so.
 */
// @ts-ignore: decorator
@inline function asciiNoKey(length: i32, kind: u32): bool {
  return length > keyLimit || ((kind & ASCII_DIGIT) != 0 && length > longestKeyWithDigit);
}

/**
 * Lowercases [start, end) as toLowerCase() does into lowerBuffer, hashing it; -1 when it can be
 * no key (longer than keyLimit). An ASCII word has passed asciiNoKey already.
 */
function lowercaseWord(start: usize, end: usize, ascii: bool): i32 {
  if (ascii) {
    const n = <i32>(end - start);
    let h = FNV_OFFSET;
    for (let i = 0; i < n; i++) {
      const b = <u32>load<u8>(start + i);
      const lower = asciiLower(b);
      store<u8>(lowerBuffer + i, <u8>lower);
      h = fnv1aStep(h, lower);
    }
    lowerHash = h;
    return n;
  }
  lowerBegin(start, end);
  let n = 0;
  while (true) {
    const cp = lowerNext();
    if (cp < 0) break;
    if (n > keyLimit) return -1;
    n += encodeAt(lowerBuffer + n, <u32>cp);
  }
  lowerHash = fnv1a(lowerBuffer, n);
  return n;
}

function containsNt(start: usize, end: usize): bool {
  for (let p = start; p + 3 <= end; p++) {
    if (load<u8>(p) == 0x6e && load<u8>(p, 1) == 0x27 && load<u8>(p, 2) == 0x74) return true;
  }
  return false;
}

// Log lines repeat their words: the description of a word of at most 8 bytes is kept in a
// direct-mapped cache keyed by its bytes (all it depends on), so a repeated word costs one probe.
const CACHE_BITS: u64 = 12;
const CACHE_ENTRY = 40; // u64 key, u32 length (0: empty), u32 reserved, then the description
let cache: usize = 0;
let cacheGeneration = -1; // the lexicon the cache was filled from

/** The cache, made once, and emptied (and keyLimit set) when another lexicon has been put in use. */
function prepareCache(): void {
  if (cacheGeneration == lexiconGeneration) return;
  keyLimit = min(MAX_KEY, max(longestKey, longestRuleWord));
  if (cache == 0) cache = allocate(<usize>CACHE_ENTRY << <usize>CACHE_BITS);
  memory.fill(cache, 0, <usize>CACHE_ENTRY << <usize>CACHE_BITS);
  cacheGeneration = lexiconGeneration;
}

// @ts-ignore: decorator
@inline function copyDescription(to: usize, from: usize): void {
  store<u64>(to, load<u64>(from, D_FLAGS), D_FLAGS);
  store<u64>(to, load<u64>(from, D_VALENCE), D_VALENCE);
  store<u64>(to, load<u64>(from, D_BOOSTER), D_BOOSTER);
}

/**
 * Looks the word [wordStart, wordEnd) of this `kind` up every way the rules need, into ring slot
 * `slot`; returns its flags.
 */
// @ts-ignore: decorator
@inline function describeWord(slot: i32, wordStart: usize, wordEnd: usize, kind: u32): u32 {
  const at = slotAt(slot);
  if (tracing) {
    store<u32>(at, <u32>wordStart, D_START);
    store<u32>(at, <u32>wordEnd, D_END);
  }
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
  // A token that can be no key is described by its case and "n't" alone, with no lookup; nor is
  // it cached, where it would push out words that recur for tokens that mostly do not.
  if (!ascii || !asciiNoKey(<i32>length, kind)) {
    if (length <= 8) {
      if (wordStart + 8 <= textEnd) key = load<u64>(wordStart) & (<u64>-1 >> ((8 - <u64>length) << 3));
      else for (let i = <i32>length - 1; i >= 0; i--) key = (key << 8) | <u64>load<u8>(wordStart + i);
      entry = cache + ((<usize>((key * 0x9e3779b97f4a7c15 + length) >> (64 - CACHE_BITS))) * CACHE_ENTRY);
      if (load<u64>(entry) == key && load<u32>(entry, 8) == <u32>length) {
        copyDescription(at, entry + 16);
        return load<u32>(at, D_FLAGS);
      }
    }
    const lowerLength = lowercaseWord(wordStart, wordEnd, ascii);
    let lowerId = -1;
    if (lowerLength >= 0) {
      const hash = lowerHash;
      valence = lexiconValence(lowerBuffer, lowerLength, hash);
      if (!isNaN(valence)) flags |= T_IN_LEXICON;
      lowerId = findRuleWord(lowerBuffer, lowerLength, hash);
      if (lowerId >= 0) {
        flags |= unchecked(ruleFlags[lowerId]) & LOWERCASE_FLAGS;
        booster = unchecked(ruleBooster[lowerId]);
      }
    }
    // As written: every rule word is lowercase ASCII but "BUT", so a word with no capital is its
    // lowercase self, and a word with capitals or other characters can only be "BUT".
    if (ascii && (kind & ASCII_UPPER) == 0) id = lowerId;
    else if (isBytes(wordStart, wordEnd, "BUT")) id = butUpperId;
    if (id >= 0) flags |= unchecked(ruleFlags[id]) & EXACT_FLAGS;
  }
  if (flags & W_NEGATE || (apostrophe && containsNt(wordStart, wordEnd))) flags |= T_NEGATED;
  store<u32>(at, flags, D_FLAGS);
  store<i32>(at, id, D_ID);
  store<f64>(at, valence, D_VALENCE);
  store<f64>(at, booster, D_BOOSTER);
  if (entry != 0) {
    store<u64>(entry, key);
    store<u32>(entry, <u32>length, 8);
    copyDescription(entry + 16, at);
  }
  return flags;
}

// @ts-ignore: decorator
@inline function has(index: i32, flag: u32): bool {
  return (load<u32>(slotAt(index), D_FLAGS) & flag) != 0;
}
// @ts-ignore: decorator
@inline function idOf(index: i32): i32 {
  return load<i32>(slotAt(index), D_ID);
}

// ---------------------------------------------------------------------------------------------
// What changed the word being scored, for `tarkin explain`: a bit per rule.

export const RULE_CAPS: u32 = 1 << 0; // ALL CAPS among words that are not
export const RULE_BOOSTER: u32 = 1 << 1; // a booster or dampener before it
export const RULE_NEGATION: u32 = 1 << 2; // a negation before it
export const RULE_NEVER_EMPHASIS: u32 = 1 << 3; // "never so", "never this", "so", "this"
export const RULE_IDIOM: u32 = 1 << 4; // part of an idiom
export const RULE_BIGRAM: u32 = 1 << 5; // after "kind of", "sort of", "just enough"
export const RULE_LEAST: u32 = 1 << 6; // after "least"
export const RULE_BUT: u32 = 1 << 7; // before (x0.5) or after (x1.5) "but"
export const RULE_MODIFIER: u32 = 1 << 8; // itself a booster, or the "kind" of "kind of": scores 0
let rules: u32 = 0;

// The trace: per word, u32 start, u32 end (byte offsets in the text), f64 lexicon valence (NaN
// when none), f64 sentiment, u32 rules, u32 reserved. Written only while explaining.
export const TRACE_WORD = 32;
let tracing = false;
let trace: usize = 0;
let traceCapacity: i32 = 0;
export let traceCount: i32 = 0;
export let amplifier: f64 = 0;

export function traceWords(on: bool): void {
  tracing = on;
}

function traceWord(index: i32, start: usize, end: usize, sentiment: f64): void {
  if (traceCount == traceCapacity) {
    traceCapacity = traceCapacity < 64 ? 64 : traceCapacity << 1;
    trace = resize(trace, <usize>traceCapacity * TRACE_WORD);
  }
  const at = trace + <usize>traceCount * TRACE_WORD;
  traceCount++;
  store<u32>(at, <u32>(start - textStart));
  store<u32>(at, <u32>(end - textStart), 4);
  store<f64>(at, load<f64>(slotAt(index), D_VALENCE), 8);
  store<f64>(at, sentiment, 16);
  store<u32>(at, rules, 24);
  store<u32>(at, 0, 28);
}

/** Where the trace is now (it moves as it grows). */
export function traceAddress(): usize {
  return trace;
}

// ---------------------------------------------------------------------------------------------
// The rules.

let wordCount: i32 = 0;
let isCapDiff: bool = false;

/** allcap_differential: some words, but not all, are ALL CAPS. */
function allcap_differential(words: i32, allcapWords: i32): bool {
  const cap_differential = words - allcapWords;
  return cap_differential > 0 && cap_differential < words;
}

function scalar_inc_dec(index: i32, valence: f64): f64 {
  let scalar: f64 = 0.0;
  if (has(index, W_BOOSTER)) {
    scalar = load<f64>(slotAt(index), D_BOOSTER);
    if (valence < 0) scalar *= -1;
    if (isCapDiff && has(index, T_UPPER)) {
      if (valence > 0) scalar += C_INCR;
      else scalar -= C_INCR;
    }
  }
  return scalar;
}

function sentiment_valence(index: i32): f64 {
  if (!has(index, T_IN_LEXICON)) return 0;
  let valence = load<f64>(slotAt(index), D_VALENCE);
  if (has(index, T_UPPER) && isCapDiff) {
    rules |= RULE_CAPS;
    if (valence > 0) valence += C_INCR;
    else valence -= C_INCR;
  }
  for (let start_i = 0; start_i < 3; start_i++) {
    if (index > start_i && !has(index - (start_i + 1), T_IN_LEXICON)) {
      let s = scalar_inc_dec(index - (start_i + 1), valence);
      if (start_i == 1 && s != 0) s = s * 0.95;
      else if (start_i == 2 && s != 0) s = s * 0.9;
      if (s != 0) rules |= RULE_BOOSTER;
      valence = valence + s;
      valence = never_check(valence, start_i, index);
      if (start_i == 2) valence = idioms_check(valence, index);
    }
  }
  return least_check(valence, index);
}

function least_check(valence: f64, index: i32): f64 {
  if (index > 1 && has(index - 1, W_LEAST) && !has(index - 1, T_IN_LEXICON)) {
    if (!has(index - 2, W_AT) && !has(index - 2, W_VERY)) {
      rules |= RULE_LEAST;
      valence = valence * N_SCALAR;
    }
  } else if (index > 0 && has(index - 1, W_LEAST) && !has(index - 1, T_IN_LEXICON)) {
    rules |= RULE_LEAST;
    valence = valence * N_SCALAR;
  }
  return valence;
}

/** but_check's factor for the word at `index`, given the first "but" (else "BUT") at butIndex. */
function but_check(index: i32, butIndex: i32): f64 {
  if (butIndex < 0 || index == butIndex) return 1;
  return index < butIndex ? 0.5 : 1.5;
}

/** The value of the SPECIAL_CASE_IDIOMS entry spelled by these word ids, or NaN. */
function idiomValue(a: i32, b: i32, c: i32): f64 {
  for (let i = 0; i < SPECIAL_CASE_IDIOMS.length; i++) {
    const at = i * 3;
    if (unchecked(IDIOM_WORDS[at]) == a && unchecked(IDIOM_WORDS[at + 1]) == b && unchecked(IDIOM_WORDS[at + 2]) == c) {
      return unchecked(SPECIAL_CASE_IDIOM_VALUES[i]);
    }
  }
  return NaN;
}

function isBoosterBigram(a: i32, b: i32): bool {
  for (let i = 0; i < BOOSTER_BIGRAMS.length; i++) {
    if (a >= 0 && unchecked(BIGRAM_WORDS[i * 2]) == a && unchecked(BIGRAM_WORDS[i * 2 + 1]) == b) return true;
  }
  return false;
}

function idioms_check(valence: f64, index: i32): f64 {
  const w3 = idOf(index - 3);
  const w2 = idOf(index - 2);
  const w1 = idOf(index - 1);
  const w0 = idOf(index);
  // A word that is no rule word has id -1, which no idiom contains: drop it from the search.
  const onezero = w1 >= 0 && w0 >= 0 ? idiomValue(w1, w0, -1) : NaN;
  const twoonezero = w2 >= 0 && w1 >= 0 && w0 >= 0 ? idiomValue(w2, w1, w0) : NaN;
  const twoone = w2 >= 0 && w1 >= 0 ? idiomValue(w2, w1, -1) : NaN;
  const threetwoone = w3 >= 0 && w2 >= 0 && w1 >= 0 ? idiomValue(w3, w2, w1) : NaN;
  const threetwo = w3 >= 0 && w2 >= 0 ? idiomValue(w3, w2, -1) : NaN;
  const before = valence;
  if (!isNaN(onezero)) valence = onezero;
  else if (!isNaN(twoonezero)) valence = twoonezero;
  else if (!isNaN(twoone)) valence = twoone;
  else if (!isNaN(threetwoone)) valence = threetwoone;
  else if (!isNaN(threetwo)) valence = threetwo;

  if (wordCount - 1 > index) {
    const w_1 = idOf(index + 1);
    const zeroone = w0 >= 0 && w_1 >= 0 ? idiomValue(w0, w_1, -1) : NaN;
    if (!isNaN(zeroone)) valence = zeroone;
  }
  if (wordCount - 1 > index + 1) {
    const w_1 = idOf(index + 1);
    const w_2 = idOf(index + 2);
    const zeroonetwo = w0 >= 0 && w_1 >= 0 && w_2 >= 0 ? idiomValue(w0, w_1, w_2) : NaN;
    if (!isNaN(zeroonetwo)) valence = zeroonetwo;
  }
  if (valence != before) rules |= RULE_IDIOM;

  // booster/dampener bigrams such as "sort of" or "kind of"
  if (isBoosterBigram(w3, w2) || isBoosterBigram(w2, w1)) {
    rules |= RULE_BIGRAM;
    valence = valence + B_DECR;
  }
  return valence;
}

function never_check(valence: f64, start_i: i32, index: i32): f64 {
  if (start_i == 0) {
    if (has(index - 1, T_NEGATED)) valence = negation(valence);
  }
  if (start_i == 1) {
    if (has(index - 2, W_NEVER) && has(index - 1, W_SO_THIS)) valence = emphasis(valence, 1.5);
    else if (has(index - (start_i + 1), T_NEGATED)) valence = negation(valence);
  }
  if (start_i == 2) {
    if ((has(index - 3, W_NEVER) && has(index - 2, W_SO_THIS)) || has(index - 1, W_SO_THIS)) {
      valence = emphasis(valence, 1.25);
    } else if (has(index - (start_i + 1), T_NEGATED)) {
      valence = negation(valence);
    }
  }
  return valence;
}

// @ts-ignore: decorator
@inline function negation(valence: f64): f64 {
  rules |= RULE_NEGATION;
  return valence * N_SCALAR;
}

// @ts-ignore: decorator
@inline function emphasis(valence: f64, factor: f64): f64 {
  rules |= RULE_NEVER_EMPHASIS;
  return valence * factor;
}

/** amplify_ep: up to four exclamation points. */
function amplify_ep(count: i32): f64 {
  let ep_count = count;
  if (ep_count > 4) ep_count = 4;
  return <f64>ep_count * 0.292;
}

/** amplify_qm: two or three question marks, or more. */
function amplify_qm(count: i32): f64 {
  let qm_amplifier: f64 = 0;
  if (count > 1) {
    if (count <= 3) qm_amplifier = <f64>count * 0.18;
    else qm_amplifier = 0.96;
  }
  return qm_amplifier;
}

function normalize(score: f64): f64 {
  const alpha: f64 = 15;
  const norm_score = score / Math.sqrt(score * score + alpha);
  if (norm_score < -1.0) return -1.0;
  if (norm_score > 1.0) return 1.0;
  return norm_score;
}

/**
 * parseFloat(x.toFixed(digits)) for |x| < 2^53, exactly: toFixed rounds the double's exact binary
 * value half up, which m * 5^digits * 2^(e + digits) in integers reproduces (m < 2^53, 5^4 < 2^10).
 */
export function roundFixed(x: f64, digits: i32): f64 {
  const bits = reinterpret<u64>(x);
  const exponent = <i32>((bits >> 52) & 0x7ff);
  let mantissa = bits & 0xfffffffffffff;
  let e: i32;
  if (exponent == 0) e = -1074;
  else {
    mantissa |= 1 << 52;
    e = exponent - 1075;
  }
  let pow5: u64 = 1;
  let pow10: f64 = 1;
  for (let i = 0; i < digits; i++) {
    pow5 *= 5;
    pow10 *= 10;
  }
  const scaled = mantissa * pow5;
  const shift = e + digits;
  let n: u64;
  if (shift >= 0) n = scaled << shift;
  else if (shift <= -64) n = 0;
  else n = (scaled + (<u64>1 << (-shift - 1))) >> -shift;
  const magnitude = <f64>n / pow10;
  return x < 0 ? -magnitude : magnitude;
}

/** vader-sentiment rounds the compound score to this many decimals. */
export const COMPOUND_DECIMALS = 4;

// Results of the last polarity_scores, as vader-sentiment returns them.
export let neg: f64 = 0;
export let neu: f64 = 0;
export let pos: f64 = 0;
export let compound: f64 = 0;

/**
 * Scores with no sentiment: `neutral` 1 for a text whose every word is neutral (what
 * score_valence's arithmetic gives), 0 for a text with no word at all.
 */
function noSentiment(neutral: f64): void {
  neg = 0;
  neu = neutral;
  pos = 0;
  compound = 0;
}

/**
 * SentimentIntensityAnalyzer.polarity_scores over the UTF-8 text in [start, end). With
 * `countCharacters`, the word finder also hands each byte of the text to the surprise's
 * countBytes as it reads it: scoring then reads a message once for both models, not twice.
 */
export function polarity_scores(start: usize, end: usize, countCharacters: bool = false): void {
  if (!rulesReady) buildRules();
  counting = countCharacters;
  if (counting) prepareCounting();
  prepareCache();
  traceCount = 0;
  amplifier = 0;

  // First pass: each word described, and what the rules need of the whole text.
  let words = 0;
  let allcapWords = 0;
  let butIndex = -1;
  let butUpperIndex = -1;
  beginWords(start, end);
  let valenced = 0;
  while (true) {
    const flags = readWord(words);
    if (flags < 0) break;
    if (flags & T_IN_LEXICON) valenced++;
    if (flags & T_UPPER) allcapWords++;
    if (butIndex < 0 && flags & W_BUT) butIndex = words;
    if (butUpperIndex < 0 && flags & W_BUT_UPPER) butUpperIndex = words;
    words++;
  }
  if (butIndex < 0) butIndex = butUpperIndex;
  wordCount = words;
  isCapDiff = allcap_differential(words, allcapWords);
  if (words == 0) {
    noSentiment(0);
    return;
  }
  const punct_emph_amplifier = amplify_ep(exclamations) + amplify_qm(questions);
  amplifier = punct_emph_amplifier;
  if (valenced == 0 && !tracing) {
    // No word has a valence, so no rule gives one any (most log lines): neutral.
    noSentiment(1);
    return;
  }

  // Second pass: each word's valence once the two words after it are described (all of them are,
  // unless there were more than the ring holds); the sums of score_valence and
  // sift_sentiment_scores are taken in word order, as the reference takes them.
  let sum_s: f64 = 0;
  let pos_sum: f64 = 0.0;
  let neg_sum: f64 = 0.0;
  let neu_count: i32 = 0;
  let described = words;
  let scored = 0;
  if (words > WORDS) {
    described = 0;
    counting = false; // every byte is counted already
    beginWords(start, end);
  }
  while (scored < words) {
    if (described < words && described - scored < 3) {
      readWord(described);
      described++;
      continue;
    }
    const index = scored;
    if (!tracing && !has(index, T_IN_LEXICON)) {
      // No valence, so no rule can give it one: neutral (most words of a log line).
      neu_count += 1;
      scored++;
      continue;
    }
    let sentiment: f64;
    rules = 0;
    if ((index < words - 1 && has(index, W_KIND) && has(index + 1, W_OF)) || has(index, W_BOOSTER)) {
      rules = RULE_MODIFIER;
      sentiment = 0;
    } else sentiment = sentiment_valence(index);
    const factor = but_check(index, butIndex);
    if (factor != 1 && sentiment != 0) rules |= RULE_BUT;
    sentiment = sentiment * factor;
    if (tracing) traceWord(index, <usize>load<u32>(slotAt(index), D_START), <usize>load<u32>(slotAt(index), D_END), sentiment);
    sum_s += sentiment;
    if (sentiment > 0) pos_sum += sentiment + 1;
    else if (sentiment < 0) neg_sum += sentiment - 1;
    else neu_count += 1;
    scored++;
  }

  // score_valence
  if (pos_sum == 0 && neg_sum == 0) {
    noSentiment(1);
    return;
  }
  if (sum_s > 0) sum_s += punct_emph_amplifier;
  else if (sum_s < 0) sum_s -= punct_emph_amplifier;
  const compoundScore = normalize(sum_s);
  if (pos_sum > Math.abs(neg_sum)) pos_sum += punct_emph_amplifier;
  else if (pos_sum < Math.abs(neg_sum)) neg_sum -= punct_emph_amplifier;
  const total = pos_sum + Math.abs(neg_sum) + <f64>neu_count;
  neg = roundFixed(Math.abs(neg_sum / total), 3);
  neu = roundFixed(Math.abs(<f64>neu_count / total), 3);
  pos = roundFixed(Math.abs(pos_sum / total), 3);
  compound = roundFixed(compoundScore, COMPOUND_DECIMALS);
}
