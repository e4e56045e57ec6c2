// VADER's module level, as vaderSentiment has it before its two classes: the constants (B_INCR,
// B_DECR, C_INCR, N_SCALAR), the word lists (NEGATE, BOOSTER_DICT, SPECIAL_CASE_IDIOMS) and the
// static methods (negated, normalize, allcap_differential, scalar_inc_dec). SentiText
// (vader-words.ts) and SentimentIntensityAnalyzer (vader.ts) both use it; it uses neither.
//
// The word lists are one small table of rule words, built when the module starts: each word
// carries flags for the comparisons the reference makes with it, and an id for the multi-word
// sequences (idioms, booster bigrams). The static methods take a word's description (its flags,
// its booster value), which SentiText made once, where the reference takes the word.
import { fnv1a } from "../base/hash";

// Constants of the reference, as named there.
export const B_INCR: f64 = 0.293;
export const B_DECR: f64 = -0.293;
export const C_INCR: f64 = 0.733;
export const N_SCALAR: f64 = -0.74;

// Each as one space-separated string: a few strings in the module's data rather than a hundred
// and twenty, for the packed module's size budget.
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
// The rule words.

// Compared with the word lowercased (the reference calls toLowerCase() first).
export const W_BOOSTER: u32 = 1 << 0;
export const W_KIND: u32 = 1 << 1;
export const W_OF: u32 = 1 << 2;
export const W_LEAST: u32 = 1 << 3;
export const W_AT: u32 = 1 << 4;
export const W_VERY: u32 = 1 << 5;
export const LOWERCASE_FLAGS: u32 = W_BOOSTER | W_KIND | W_OF | W_LEAST | W_AT | W_VERY;
// Compared with the word as written (the reference uses === or indexOf).
export const W_NEGATE: u32 = 1 << 6;
export const W_BUT: u32 = 1 << 7;
export const W_BUT_UPPER: u32 = 1 << 8;
export const W_NEVER: u32 = 1 << 9;
export const W_SO_THIS: u32 = 1 << 10;
export const EXACT_FLAGS: u32 = W_NEGATE | W_BUT | W_BUT_UPPER | W_NEVER | W_SO_THIS;
// Per word of the text, besides the above.
export const T_UPPER_SHIFT: u32 = 11;
export const T_UPPER: u32 = 1 << T_UPPER_SHIFT; // is_upper_python
export const T_IN_LEXICON_SHIFT: u32 = 12;
export const T_IN_LEXICON: u32 = 1 << T_IN_LEXICON_SHIFT;
export const T_CONTAINS_NT: u32 = 1 << 13; // "n't" in it
export const T_OVERLAY: u32 = 1 << 14; // an overlay's word (lexicon.ts entryIsOverlay)
export const T_ACCESS: u32 = 1 << 15; // a word that names access (lexicon.ts entryNamesAccess)
export const T_FAILURE: u32 = 1 << 16; // a failure (lexicon.ts entryIsFailure)

const RULE_SLOTS: i32 = 512;
const ruleWords = new Array<string>();
/** Per rule word id: its flags (W_), and its BOOSTER_DICT value. */
export const ruleFlags = new Array<u32>();
export const ruleBooster = new Array<f64>();
const ruleSlots = new StaticArray<i32>(RULE_SLOTS);
// The rule words' bytes (all ASCII), so a word of the text is compared without calls per character.
const ruleBytes = memory.data(2048);
const ruleAt = new Array<i32>();
const IDIOM_WORDS = new StaticArray<i32>(SPECIAL_CASE_IDIOMS.length * 3); // word ids, -1 past the end
const BIGRAM_WORDS = new StaticArray<i32>(BOOSTER_BIGRAMS.length * 2);

function ruleWord(word: string, flags: u32, booster: f64): i32 {
  // Its bytes where a new word's go (after the last word's), to hash them as a word of the text is hashed.
  const last = ruleWords.length - 1;
  const used = last >= 0 ? unchecked(ruleAt[last]) + unchecked(ruleWords[last]).length : 0;
  const bytes = ruleBytes + <usize>used;
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
  ruleWords.push(word);
  ruleFlags.push(flags);
  ruleBooster.push(booster);
  ruleAt.push(used);
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

/** Builds the table (when the module starts); returns its longest word's length. */
function buildRules(): i32 {
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
  ruleWord("BUT", W_BUT_UPPER, 0);
  ruleWord("never", W_NEVER, 0);
  ruleWord("so", W_SO_THIS, 0);
  ruleWord("this", W_SO_THIS, 0);
  for (let i = 0; i < SPECIAL_CASE_IDIOMS.length; i++) phraseWords(SPECIAL_CASE_IDIOMS[i], IDIOM_WORDS, i * 3, 3);
  for (let i = 0; i < BOOSTER_BIGRAMS.length; i++) phraseWords(BOOSTER_BIGRAMS[i], BIGRAM_WORDS, i * 2, 2);
  let longest = 0;
  for (let i = 0; i < ruleWords.length; i++) longest = max(longest, ruleWords[i].length);
  return longest;
}

/** The longest rule word's bytes (none has a digit). */
export const LONGEST_RULE_WORD: i32 = buildRules();
/** "BUT"'s id, the one rule word with capitals (it is in the table: this adds nothing). */
export const BUT_UPPER_ID: i32 = ruleWord("BUT", 0, 0);

/** The rule word with these bytes, or -1. */
export function findRuleWord(p: usize, len: i32, hash: u32): i32 {
  let slot = <i32>(hash & <u32>(RULE_SLOTS - 1));
  while (true) {
    const id = unchecked(ruleSlots[slot]);
    if (id < 0) return -1;
    if (unchecked(ruleWords[id]).length == len && memory.compare(ruleBytes + <usize>unchecked(ruleAt[id]), p, <usize>len) == 0) return id;
    slot = (slot + 1) & (RULE_SLOTS - 1);
  }
  return -1;
}

/** The value of the SPECIAL_CASE_IDIOMS entry spelled by these word ids, or NaN. */
export function idiomValue(a: i32, b: i32, c: i32): f64 {
  for (let i = 0; i < SPECIAL_CASE_IDIOMS.length; i++) {
    const at = i * 3;
    if (unchecked(IDIOM_WORDS[at]) == a && unchecked(IDIOM_WORDS[at + 1]) == b && unchecked(IDIOM_WORDS[at + 2]) == c) {
      return unchecked(SPECIAL_CASE_IDIOM_VALUES[i]);
    }
  }
  return NaN;
}

/** Whether these word ids spell one of BOOSTER_DICT's two-word keys. */
export function isBoosterBigram(a: i32, b: i32): bool {
  for (let i = 0; i < BOOSTER_BIGRAMS.length; i++) {
    if (a >= 0 && unchecked(BIGRAM_WORDS[i * 2]) == a && unchecked(BIGRAM_WORDS[i * 2 + 1]) == b) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// The static methods.

/**
 * negated([word]), as never_check calls it, given the word's flags: a NEGATE word, or one
 * containing "n't" (its "least" test needs a word before "least", which a list of one word lacks).
 */
// @ts-ignore: decorator
@inline export function negated(flags: u32): bool {
  return (flags & (W_NEGATE | T_CONTAINS_NT)) != 0;
}

export function normalize(score: f64): f64 {
  const alpha: f64 = 15;
  const norm_score = score / Math.sqrt(score * score + alpha);
  if (norm_score < -1.0) return -1.0;
  if (norm_score > 1.0) return 1.0;
  return norm_score;
}

/** allcap_differential: some words, but not all, are ALL CAPS (given how many are). */
export function allcap_differential(words: i32, allcapWords: i32): bool {
  const cap_differential = words - allcapWords;
  return cap_differential > 0 && cap_differential < words;
}

/** scalar_inc_dec, given the word's flags and its BOOSTER_DICT value. */
export function scalar_inc_dec(flags: u32, booster: f64, valence: f64, is_cap_diff: bool): f64 {
  let scalar: f64 = 0.0;
  if (flags & W_BOOSTER) {
    scalar = booster;
    if (valence < 0) scalar *= -1;
    if (is_cap_diff && flags & T_UPPER) {
      if (valence > 0) scalar += C_INCR;
      else scalar -= C_INCR;
    }
  }
  return scalar;
}
