// VADER sentiment, ported rule by rule from vader-sentiment 1.1.3 (vaderSentiment.js), whose
// results are the specification. This file is its SentimentIntensityAnalyzer: every function below
// is named as its method there and comes in its order, so that a reader can check them side by
// side; the module level it uses is vader-rules.ts, its SentiText vader-words.ts.
//
// Where the reference passes lists of words, these functions pass a word's index: its description
// (lexicon valence, case, which rule words it is) was made once, when SentiText found it
// (vader-words.ts, the machinery that keeps this cheap). The reference's rules look at most three
// words back and two ahead; its sentiments list is summed as each sentiment is found.
import { SentiText, WordTrace, has, flagsOf, idOf, wordStartOf, wordEndOf, valenceOf, boosterOf } from "./vader-words";
import {
  negated, normalize, scalar_inc_dec, idiomValue, isBoosterBigram, B_DECR, C_INCR, N_SCALAR,
  W_BOOSTER, W_KIND, W_OF, W_LEAST, W_AT, W_VERY, W_NEVER, W_SO_THIS, T_UPPER, T_IN_LEXICON, T_OVERLAY, T_FAILURE,
} from "./vader-rules";
import { asciiClassOf, ASCII_SPACE } from "../base/utf8";

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

/** vader-sentiment rounds the compound score to this many decimals. */
export const COMPOUND_DECIMALS = 4;

/** What polarity_scores gives: vader-sentiment's four scores and what tarkin reads besides. Its caller's, made once. */
export class PolarityScores {
  neg: f64 = 0;
  neu: f64 = 0;
  pos: f64 = 0;
  compound: f64 = 0;
  /** The text's punctuation emphasis, for `tarkin explain`. */
  amplifier: f64 = 0;
  /** Whether a security word scored negative: an overlay's word that is evidence (lexicon.ts entryIsOverlay), or a failure (lexicon.ts entryIsFailure) in a text that names access (SentiText.namesAccess). */
  securityNegative: bool = false;
  /** The most negative word (of the security words, where one reads negative): where it starts and ends, equal when none does. */
  mostNegativeStart: usize = 0;
  mostNegativeEnd: usize = 0;
}

// polarity_scores's working state, made once: the text's words and the sentiments' sums.
const text = new SentiText();
const sums = new SentimentSums();

/**
 * SentimentIntensityAnalyzer.polarity_scores over the UTF-8 text in [start, end), into `scores`.
 * With a `trace`, every word is scored and added to it, with the rules that changed it.
 */
export function polarity_scores(start: usize, end: usize, scores: PolarityScores, trace: WordTrace | null = null): void {
  if (trace) trace.count = 0;
  scores.amplifier = 0;
  scores.securityNegative = false;
  scores.mostNegativeStart = 0;
  scores.mostNegativeEnd = 0;
  const words = text.read(start, end).wordCount;
  if (words == 0) {
    noSentiment(scores, 0);
    return;
  }
  const amplifier = punctuation_emphasis(text);
  scores.amplifier = amplifier;
  if (text.valencedWords == 0 && !trace) {
    // No word has a valence, so no rule gives one any (most log lines): every sentiment is 0.
    noSentiment(scores, 1);
    return;
  }
  sums.reset();
  let neutral = 0;
  let securityNegative = false;
  let mostNegative: f64 = 0;
  let mostNegativeStart: usize = 0;
  let mostNegativeEnd: usize = 0;
  // The ring holds every word of most texts (nothing to describe ahead); and without a trace the
  // words after the last with a valence are all neutral, so the loop ends at it.
  const allDescribed = text.allDescribed;
  let valencedLeft = trace ? -1 : text.valencedWords;
  for (let index = 0; index < words; index++) {
    if (!allDescribed) text.describeAhead(index);
    if (!trace && !has(index, T_IN_LEXICON)) {
      // No valence, so no rule can give it one: a 0 (most words of a log line).
      neutral++;
      continue;
    }
    if (trace) trace.rules = 0;
    let sentiment: f64 = 0;
    if ((index < words - 1 && has(index, W_KIND) && has(index + 1, W_OF)) || has(index, W_BOOSTER)) {
      if (trace) trace.rules = RULE_MODIFIER;
    } else sentiment = sentiment_valence(index, text, trace);
    sentiment = but_check(index, sentiment, text.butIndex, trace);
    if (sentiment < 0) {
      // The reason names the most negative security word where there is one, else the most negative word.
      const security = has(index, T_OVERLAY) || (text.namesAccess && has(index, T_FAILURE));
      if (security && !securityNegative) {
        securityNegative = true;
        mostNegative = 0;
      }
      if ((security || !securityNegative) && sentiment < mostNegative) {
        mostNegative = sentiment;
        mostNegativeStart = wordStartOf(index);
        mostNegativeEnd = wordEndOf(index);
      }
    }
    if (trace) trace.add(text, index, sentiment);
    sift_sentiment_scores(sums, sentiment);
    if (--valencedLeft == 0) {
      neutral += words - 1 - index;
      break;
    }
  }
  sums.neu_count += neutral;
  scores.securityNegative = securityNegative;
  scores.mostNegativeStart = mostNegativeStart;
  scores.mostNegativeEnd = mostNegativeEnd;
  score_valence(sums, amplifier, scores);
}

// The rules below note what they change in a `trace` when given one (see polarity_scores).

export function sentiment_valence(index: i32, text: SentiText, trace: WordTrace | null = null): f64 {
  if (!has(index, T_IN_LEXICON)) return 0;
  let valence = valenceOf(index);
  const is_cap_diff = text.isCapDiff;
  if (has(index, T_UPPER) && is_cap_diff) {
    if (trace) trace.rules |= RULE_CAPS;
    if (valence > 0) valence += C_INCR;
    else valence -= C_INCR;
  }
  for (let start_i = 0; start_i < 3; start_i++) {
    if (index > start_i && !has(index - (start_i + 1), T_IN_LEXICON)) {
      const before = index - (start_i + 1);
      let s = scalar_inc_dec(flagsOf(before), boosterOf(before), valence, is_cap_diff);
      if (start_i == 1 && s != 0) s = s * 0.95;
      else if (start_i == 2 && s != 0) s = s * 0.9;
      if (s != 0 && trace) trace.rules |= RULE_BOOSTER;
      valence = valence + s;
      valence = never_check(valence, start_i, index, trace);
      if (start_i == 2) valence = idioms_check(valence, index, text.wordCount, trace);
    }
  }
  return least_check(valence, index, trace);
}

export function least_check(valence: f64, index: i32, trace: WordTrace | null = null): f64 {
  if (index > 1 && has(index - 1, W_LEAST) && !has(index - 1, T_IN_LEXICON)) {
    if (!has(index - 2, W_AT) && !has(index - 2, W_VERY)) {
      if (trace) trace.rules |= RULE_LEAST;
      valence = valence * N_SCALAR;
    }
  } else if (index > 0 && has(index - 1, W_LEAST) && !has(index - 1, T_IN_LEXICON)) {
    if (trace) trace.rules |= RULE_LEAST;
    valence = valence * N_SCALAR;
  }
  return valence;
}

/**
 * but_check for word `index`'s sentiment, given the text's first "but" (else "BUT"), -1 when none:
 * halved before it, 1.5 times after it.
 */
export function but_check(index: i32, sentiment: f64, butIndex: i32, trace: WordTrace | null = null): f64 {
  if (butIndex < 0 || index == butIndex) return sentiment;
  const factor = index < butIndex ? 0.5 : 1.5;
  if (sentiment != 0 && trace) trace.rules |= RULE_BUT;
  return sentiment * factor;
}

/** idioms_check, in a text of `words` words. */
export function idioms_check(valence: f64, index: i32, words: i32, trace: WordTrace | null = null): f64 {
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

  if (words - 1 > index) {
    const w_1 = idOf(index + 1);
    const zeroone = w0 >= 0 && w_1 >= 0 ? idiomValue(w0, w_1, -1) : NaN;
    if (!isNaN(zeroone)) valence = zeroone;
  }
  if (words - 1 > index + 1) {
    const w_1 = idOf(index + 1);
    const w_2 = idOf(index + 2);
    const zeroonetwo = w0 >= 0 && w_1 >= 0 && w_2 >= 0 ? idiomValue(w0, w_1, w_2) : NaN;
    if (!isNaN(zeroonetwo)) valence = zeroonetwo;
  }
  if (valence != before && trace) trace.rules |= RULE_IDIOM;

  // booster/dampener bigrams such as "sort of" or "kind of"
  if (isBoosterBigram(w3, w2) || isBoosterBigram(w2, w1)) {
    if (trace) trace.rules |= RULE_BIGRAM;
    valence = valence + B_DECR;
  }
  return valence;
}

export function never_check(valence: f64, start_i: i32, index: i32, trace: WordTrace | null = null): f64 {
  if (start_i == 0) {
    if (negated(flagsOf(index - 1))) valence = negation(valence, trace);
  }
  if (start_i == 1) {
    if (has(index - 2, W_NEVER) && has(index - 1, W_SO_THIS)) valence = emphasis(valence, 1.5, trace);
    else if (negated(flagsOf(index - (start_i + 1)))) valence = negation(valence, trace);
  }
  if (start_i == 2) {
    if ((has(index - 3, W_NEVER) && has(index - 2, W_SO_THIS)) || has(index - 1, W_SO_THIS)) {
      valence = emphasis(valence, 1.25, trace);
    } else if (negated(flagsOf(index - (start_i + 1)))) {
      valence = negation(valence, trace);
    }
  }
  return valence;
}

// never_check's two outcomes, each noted for explain.
// @ts-ignore: decorator
@inline function negation(valence: f64, trace: WordTrace | null): f64 {
  if (trace) trace.rules |= RULE_NEGATION;
  return valence * N_SCALAR;
}

// @ts-ignore: decorator
@inline function emphasis(valence: f64, factor: f64, trace: WordTrace | null): f64 {
  if (trace) trace.rules |= RULE_NEVER_EMPHASIS;
  return valence * factor;
}

/** punctuation_emphasis, from the "!" and "?" SentiText counted. */
export function punctuation_emphasis(text: SentiText): f64 {
  return amplify_ep(text.exclamations) + amplify_qm(text.questions);
}

/** amplify_ep: up to four exclamation points. */
export function amplify_ep(count: i32): f64 {
  let ep_count = count;
  if (ep_count > 4) ep_count = 4;
  return <f64>ep_count * 0.292;
}

/** amplify_qm: two or three question marks, or more. */
export function amplify_qm(count: i32): f64 {
  let qm_amplifier: f64 = 0;
  if (count > 1) {
    if (count <= 3) qm_amplifier = <f64>count * 0.18;
    else qm_amplifier = 0.96;
  }
  return qm_amplifier;
}

/** The sums score_valence and sift_sentiment_scores take over a text's sentiments, in word order. */
export class SentimentSums {
  sum_s: f64 = 0;
  pos_sum: f64 = 0;
  neg_sum: f64 = 0;
  neu_count: i32 = 0;

  reset(): void {
    this.sum_s = 0;
    this.pos_sum = 0;
    this.neg_sum = 0;
    this.neu_count = 0;
  }
}

/** sift_sentiment_scores, one sentiment at a time, into `sums`: and score_valence's sum of them. */
export function sift_sentiment_scores(sums: SentimentSums, sentiment_score: f64): void {
  sums.sum_s += sentiment_score;
  if (sentiment_score > 0) sums.pos_sum += sentiment_score + 1; // compensates for neutral words that are counted as 1
  else if (sentiment_score < 0) sums.neg_sum += sentiment_score - 1; // when used with Math.abs(), compensates for neutrals
  else sums.neu_count += 1;
}

/** score_valence over a text's `sums`, with its punctuation emphasis, into `scores`. */
export function score_valence(sums: SentimentSums, punct_emph_amplifier: f64, scores: PolarityScores): void {
  let sum = sums.sum_s;
  if (sum > 0) sum += punct_emph_amplifier;
  else if (sum < 0) sum -= punct_emph_amplifier;
  const compoundScore = normalize(sum);
  let positive = sums.pos_sum;
  let negative = sums.neg_sum;
  if (positive > Math.abs(negative)) positive += punct_emph_amplifier;
  else if (positive < Math.abs(negative)) negative -= punct_emph_amplifier;
  const neu_count = sums.neu_count;
  const total = positive + Math.abs(negative) + <f64>neu_count;
  scores.neg = roundFixed(Math.abs(negative / total), 3);
  scores.neu = roundFixed(Math.abs(<f64>neu_count / total), 3);
  scores.pos = roundFixed(Math.abs(positive / total), 3);
  scores.compound = roundFixed(compoundScore, COMPOUND_DECIMALS);
}

/**
 * What polarity_scores gives a text that holds no word with a valence (the field model's pass found
 * none: base/words.ts), without reading its words: every sentiment 0, neutral where it has a word.
 * (The punctuation's emphasis, which only explain shows, is left 0.)
 */
export function scoreNeutralText(start: usize, end: usize, scores: PolarityScores): void {
  scores.amplifier = 0;
  scores.securityNegative = false;
  scores.mostNegativeStart = 0;
  scores.mostNegativeEnd = 0;
  noSentiment(scores, hasWord(start, end) ? 1 : 0);
}

/** Whether [start, end), ASCII (a byte beyond it makes the fields' pass ask for the sentiment), has a word: two bytes or more between spaces (the reference's split(/\s/) and length > 1). */
function hasWord(start: usize, end: usize): bool {
  let run = 0;
  for (let p = start; p < end; p++) {
    if (asciiClassOf(<u32>load<u8>(p)) & ASCII_SPACE) run = 0;
    else if (++run == 2) return true;
  }
  return false;
}

/**
 * score_valence where every sentiment is 0, without the arithmetic: `neutral` 1 for words that
 * are all neutral, 0 for a text with no word at all (the reference's empty sentiments).
 */
function noSentiment(scores: PolarityScores, neutral: f64): void {
  scores.neg = 0;
  scores.neu = neutral;
  scores.pos = 0;
  scores.compound = 0;
}

const POWERS_OF_5: StaticArray<u64> = [1, 5, 25, 125, 625];
const POWERS_OF_10: StaticArray<f64> = [1, 10, 100, 1000, 10000];

/**
 * parseFloat(x.toFixed(digits)) for |x| < 2^53 and digits <= 4, exactly: toFixed rounds the double's exact binary
 * value half up, which m * 5^digits * 2^(e + digits) in integers reproduces (m < 2^53, 5^4 < 2^10).
 */
export function roundFixed(x: f64, digits: i32): f64 {
  assert(digits <= 4);
  const bits = reinterpret<u64>(x);
  const exponent = <i32>((bits >> 52) & 0x7ff);
  let mantissa = bits & 0xfffffffffffff;
  let e: i32;
  if (exponent == 0) e = -1074;
  else {
    mantissa |= 1 << 52;
    e = exponent - 1075;
  }
  const pow5 = unchecked(POWERS_OF_5[digits]);
  const pow10 = unchecked(POWERS_OF_10[digits]);
  const scaled = mantissa * pow5;
  const shift = e + digits;
  let n: u64;
  if (shift >= 0) n = scaled << shift;
  else if (shift <= -64) n = 0;
  else n = (scaled + (<u64>1 << (-shift - 1))) >> -shift;
  const magnitude = <f64>n / pow10;
  return x < 0 ? -magnitude : magnitude;
}
