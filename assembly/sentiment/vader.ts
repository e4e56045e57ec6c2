// VADER sentiment, ported rule by rule from vader-sentiment 1.1.3 (vaderSentiment.js), whose
// results are the specification. This file is its SentimentIntensityAnalyzer: every function below
// is named as its method there and comes in its order, so that a reader can check them side by
// side; the module level it uses is vader-rules.ts, its SentiText vader-words.ts.
//
// Where the reference passes lists of words, these functions pass a word's index: its description
// (lexicon valence, case, which rule words it is) was made once, when SentiText found it
// (vader-words.ts, the machinery that keeps this cheap). The reference's rules look at most three
// words back and two ahead; its sentiments list is summed as each sentiment is found.
import {
  SentiText, describeAhead, has, flagsOf, idOf, wordStartOf, wordEndOf, valenceOf, boosterOf,
  wordCount, isCapDiff, butIndex, valencedWords, exclamations, questions, tracing, startTrace, traceWord,
} from "./vader-words";
import {
  negated, normalize, scalar_inc_dec, idiomValue, isBoosterBigram, B_DECR, C_INCR, N_SCALAR,
  W_BOOSTER, W_KIND, W_OF, W_LEAST, W_AT, W_VERY, W_NEVER, W_SO_THIS, T_UPPER, T_IN_LEXICON, T_OVERLAY,
} from "./vader-rules";

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
export let rules: u32 = 0;

/** vader-sentiment rounds the compound score to this many decimals. */
export const COMPOUND_DECIMALS = 4;

// Results of the last polarity_scores, as vader-sentiment returns them.
export let neg: f64 = 0;
export let neu: f64 = 0;
export let pos: f64 = 0;
export let compound: f64 = 0;
/** The last text's punctuation emphasis, for `tarkin explain`. */
export let amplifier: f64 = 0;
/** Whether a word of an overlay that is security evidence (lexicon.ts entryIsOverlay) scored negative in the last text. */
export let securityNegative = false;
/** The last text's most negative word (of the security words, where one reads negative): where it starts and ends, equal when none does. */
export let mostNegativeStart: usize = 0;
export let mostNegativeEnd: usize = 0;
let mostNegative: f64 = 0;

/** SentimentIntensityAnalyzer.polarity_scores over the UTF-8 text in [start, end). */
export function polarity_scores(start: usize, end: usize): void {
  startTrace();
  amplifier = 0;
  securityNegative = false;
  mostNegative = 0;
  mostNegativeStart = 0;
  mostNegativeEnd = 0;
  SentiText(start, end);
  const words = wordCount;
  if (words == 0) {
    noSentiment(0);
    return;
  }
  amplifier = punctuation_emphasis();
  if (valencedWords == 0 && !tracing) {
    // No word has a valence, so no rule gives one any (most log lines): every sentiment is 0.
    noSentiment(1);
    return;
  }
  startSums();
  let neutral = 0;
  for (let index = 0; index < words; index++) {
    describeAhead(index);
    if (!tracing && !has(index, T_IN_LEXICON)) {
      // No valence, so no rule can give it one: a 0 (most words of a log line).
      neutral++;
      continue;
    }
    rules = 0;
    let sentiment: f64 = 0;
    if ((index < words - 1 && has(index, W_KIND) && has(index + 1, W_OF)) || has(index, W_BOOSTER)) rules = RULE_MODIFIER;
    else sentiment = sentiment_valence(index);
    sentiment = but_check(index, sentiment);
    if (sentiment < 0) {
      // The reason names the most negative security word where there is one, else the most negative word.
      const security = has(index, T_OVERLAY);
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
    if (tracing) traceWord(index, sentiment, rules);
    sift_sentiment_scores(sentiment);
  }
  neu_count += neutral;
  score_valence(amplifier);
}

export function sentiment_valence(index: i32): f64 {
  if (!has(index, T_IN_LEXICON)) return 0;
  let valence = valenceOf(index);
  if (has(index, T_UPPER) && isCapDiff) {
    rules |= RULE_CAPS;
    if (valence > 0) valence += C_INCR;
    else valence -= C_INCR;
  }
  for (let start_i = 0; start_i < 3; start_i++) {
    if (index > start_i && !has(index - (start_i + 1), T_IN_LEXICON)) {
      const before = index - (start_i + 1);
      let s = scalar_inc_dec(flagsOf(before), boosterOf(before), valence, isCapDiff);
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

export function least_check(valence: f64, index: i32): f64 {
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

/** but_check for word `index`'s sentiment: halved before the first "but" (else "BUT"), 1.5 times after it. */
export function but_check(index: i32, sentiment: f64): f64 {
  if (butIndex < 0 || index == butIndex) return sentiment;
  const factor = index < butIndex ? 0.5 : 1.5;
  if (sentiment != 0) rules |= RULE_BUT;
  return sentiment * factor;
}

export function idioms_check(valence: f64, index: i32): f64 {
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

export function never_check(valence: f64, start_i: i32, index: i32): f64 {
  if (start_i == 0) {
    if (negated(flagsOf(index - 1))) valence = negation(valence);
  }
  if (start_i == 1) {
    if (has(index - 2, W_NEVER) && has(index - 1, W_SO_THIS)) valence = emphasis(valence, 1.5);
    else if (negated(flagsOf(index - (start_i + 1)))) valence = negation(valence);
  }
  if (start_i == 2) {
    if ((has(index - 3, W_NEVER) && has(index - 2, W_SO_THIS)) || has(index - 1, W_SO_THIS)) {
      valence = emphasis(valence, 1.25);
    } else if (negated(flagsOf(index - (start_i + 1)))) {
      valence = negation(valence);
    }
  }
  return valence;
}

// never_check's two outcomes, each noted for explain.
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

/** punctuation_emphasis, from the "!" and "?" SentiText counted. */
export function punctuation_emphasis(): f64 {
  return amplify_ep(exclamations) + amplify_qm(questions);
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

// The sums score_valence and sift_sentiment_scores take over the sentiments, in word order.
let sum_s: f64 = 0;
let pos_sum: f64 = 0;
let neg_sum: f64 = 0;
let neu_count: i32 = 0;

function startSums(): void {
  sum_s = 0;
  pos_sum = 0;
  neg_sum = 0;
  neu_count = 0;
}

/** sift_sentiment_scores, one sentiment at a time: and score_valence's sum of them. */
export function sift_sentiment_scores(sentiment_score: f64): void {
  sum_s += sentiment_score;
  if (sentiment_score > 0) pos_sum += sentiment_score + 1; // compensates for neutral words that are counted as 1
  else if (sentiment_score < 0) neg_sum += sentiment_score - 1; // when used with Math.abs(), compensates for neutrals
  else neu_count += 1;
}

/** score_valence over the sentiments summed so far, with the text's punctuation emphasis. */
export function score_valence(punct_emph_amplifier: f64): void {
  let sum = sum_s;
  if (sum > 0) sum += punct_emph_amplifier;
  else if (sum < 0) sum -= punct_emph_amplifier;
  const compoundScore = normalize(sum);
  let positive = pos_sum;
  let negative = neg_sum;
  if (positive > Math.abs(negative)) positive += punct_emph_amplifier;
  else if (positive < Math.abs(negative)) negative -= punct_emph_amplifier;
  const total = positive + Math.abs(negative) + <f64>neu_count;
  neg = roundFixed(Math.abs(negative / total), 3);
  neu = roundFixed(Math.abs(<f64>neu_count / total), 3);
  pos = roundFixed(Math.abs(positive / total), 3);
  compound = roundFixed(compoundScore, COMPOUND_DECIMALS);
}

/**
 * score_valence where every sentiment is 0, without the arithmetic: `neutral` 1 for words that
 * are all neutral, 0 for a text with no word at all (the reference's empty sentiments).
 */
function noSentiment(neutral: f64): void {
  neg = 0;
  neu = neutral;
  pos = 0;
  compound = 0;
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
