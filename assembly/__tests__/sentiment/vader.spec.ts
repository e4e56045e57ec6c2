// One test per rule of the VADER port, so that a broken rule fails by its name. Each expected value
// is what vader-sentiment 1.1.3 (vaderSentiment.js) gives for the same words, its rule called
// directly where it can be; the lexicon is a small one with the reference's values for the words used.
import { negated, normalize, allcap_differential, scalar_inc_dec } from "../../sentiment/vader-rules";
import {
  polarity_scores, PolarityScores, SentimentSums, RULE_BOOSTER, RULE_NEGATION, RULE_MODIFIER, sentiment_valence, least_check, but_check, idioms_check, never_check,
  punctuation_emphasis, amplify_ep, amplify_qm, sift_sentiment_scores, score_valence, roundFixed,
} from "../../sentiment/vader";
import { SentiText, WordTrace, flagsOf, boosterOf } from "../../sentiment/vader-words";
import { TRACE_RULES, TRACE_SENTIMENT, TRACE_WORD } from "../../base/layouts";
import { useLexicon } from "../../sentiment/lexicon";
import { fnv1a } from "../../base/hash";

// The reference's valences of the words these tests use.
const WORDS: StaticArray<string> = ["good", "loved", "bad", "yeah", "shit", "kiss", "death", "kind"];
const VALENCES: StaticArray<i16> = [190, 290, -250, 120, -260, 180, -290, 240];

/** A lexicon section (lexicon.ts's layout) of WORDS, put in use. */
function useTestLexicon(): void {
  const n = WORDS.length;
  const slots = 64;
  let keyBytes = 0;
  for (let i = 0; i < n; i++) keyBytes += WORDS[i].length;
  const size = 16 + slots * 2 + (n + 1) * 6 + keyBytes;
  const section = heap.alloc(<usize>size);
  memory.fill(section, 0, <usize>size);
  const entries = section + 16 + slots * 2;
  const keys = entries + <usize>(n + 1) * 6;
  store<u32>(section, n);
  store<u32>(section, slots, 4);
  store<u32>(section, keyBytes, 8);
  let offset = 0;
  for (let i = 0; i < n; i++) {
    const word = WORDS[i];
    for (let j = 0; j < word.length; j++) store<u8>(keys + offset + j, <u8>word.charCodeAt(j));
    const entry = entries + <usize>i * 6;
    store<u32>(entry, offset);
    store<i16>(entry, VALENCES[i], 4);
    let slot = fnv1a(keys + offset, word.length) & (slots - 1);
    while (load<u16>(section + 16 + (<usize>slot << 1)) != 0) slot = (slot + 1) & (slots - 1);
    store<u16>(section + 16 + (<usize>slot << 1), <u16>(i + 1));
    offset += word.length;
  }
  store<u32>(entries + <usize>n * 6, offset);
  useLexicon(section);
}

const text = new SentiText();
const result = new PolarityScores();

/** SentiText over `words`: its words described, for a rule to be called on them by index. */
function words(words: string): void {
  const bytes = String.UTF8.encode(words);
  const p = changetype<usize>(bytes);
  text.read(p, p + <usize>bytes.byteLength);
}

function scores(words: string): void {
  const bytes = String.UTF8.encode(words);
  const p = changetype<usize>(bytes);
  polarity_scores(p, p + <usize>bytes.byteLength, result);
}

describe("VADER's rules", () => {
  beforeAll(() => {
    useTestLexicon();
  });

  it("negated: a NEGATE word or one with n't, as written", () => {
    words("not isn't never nothing good least can't NOT");
    expect(negated(flagsOf(0))).toBe(true);
    expect(negated(flagsOf(1))).toBe(true);
    expect(negated(flagsOf(2))).toBe(true);
    expect(negated(flagsOf(3))).toBe(true);
    expect(negated(flagsOf(4))).toBe(false);
    expect(negated(flagsOf(5))).toBe(false);
    expect(negated(flagsOf(6))).toBe(true);
    expect(negated(flagsOf(7))).toBe(false);
  });

  it("normalize", () => {
    expect(normalize(1.9)).toBe(0.44043357076016854);
    expect(normalize(-4)).toBe(-0.7184212081070996);
    expect(normalize(0)).toBe(0);
    expect(normalize(100)).toBe(0.999250842696695);
  });

  it("allcap_differential", () => {
    expect(allcap_differential(2, 1)).toBe(true);
    expect(allcap_differential(2, 2)).toBe(false);
    expect(allcap_differential(2, 0)).toBe(false);
    words("GOOD day");
    expect(text.isCapDiff).toBe(true);
    words("GOOD DAY");
    expect(text.isCapDiff).toBe(false);
  });

  it("scalar_inc_dec", () => {
    words("very VERY barely table");
    expect(scalar_inc_dec(flagsOf(0), boosterOf(0), 1.9, false)).toBe(0.293);
    expect(scalar_inc_dec(flagsOf(0), boosterOf(0), -1.9, false)).toBe(-0.293);
    expect(scalar_inc_dec(flagsOf(1), boosterOf(1), 1.9, true)).toBe(1.026);
    expect(scalar_inc_dec(flagsOf(1), boosterOf(1), -1.9, true)).toBe(-1.026);
    expect(scalar_inc_dec(flagsOf(2), boosterOf(2), 1.9, false)).toBe(-0.293);
    expect(scalar_inc_dec(flagsOf(3), boosterOf(3), 1.9, true)).toBe(0);
  });

  it("SentiText: words of two or more units, split at white space, punctuation stripped as get_words_plus_punc does", () => {
    words("a good, day !! ok?! x");
    expect(text.wordCount).toBe(4); // good day !! ok
    scores("good????"); // "????" is not in PUNC_LIST: the word stays "good????", no key
    expect(result.compound).toBe(0);
    expect(result.neu).toBe(1);
  });

  it("polarity_scores", () => {
    scores("The food is not good");
    expect(result.neg).toBe(0.376);
    expect(result.neu).toBe(0.624);
    expect(result.pos).toBe(0);
    expect(result.compound).toBe(-0.3412);
    scores("GOOD day");
    expect(result.compound).toBe(0.5622);
    expect(result.pos).toBe(0.784);
    scores("kind of good");
    expect(result.compound).toBe(0.4404);
  });

  it("polarity_scores with a trace: every word, with the rules that changed it", () => {
    const trace = new WordTrace();
    const bytes = String.UTF8.encode("it is not VERY good");
    const p = changetype<usize>(bytes);
    polarity_scores(p, p + <usize>bytes.byteLength, result, trace);
    expect(trace.count).toBe(5);
    expect(load<u32>(trace.at + 3 * TRACE_WORD + TRACE_RULES)).toBe(RULE_MODIFIER);
    expect(load<u32>(trace.at + 4 * TRACE_WORD + TRACE_RULES)).toBe(RULE_BOOSTER | RULE_NEGATION);
    expect(load<f64>(trace.at + 4 * TRACE_WORD + TRACE_SENTIMENT)).toBeLessThan(0);
    scores("it is not VERY good");
    expect(trace.count).toBe(5); // scoring without it leaves it as it was
  });

  it("sentiment_valence: ALL CAPS among words that are not, and a booster before it", () => {
    words("it is VERY good here");
    expect(sentiment_valence(3, text)).toBe(2.926);
    scores("it is extremely good");
    expect(result.compound).toBe(0.4927);
  });

  it("least_check", () => {
    words("the least good");
    expect(least_check(1.9, 2)).toBe(-1.406);
    words("at least good");
    expect(least_check(1.9, 2)).toBe(1.9);
    words("very least good");
    expect(least_check(1.9, 2)).toBe(1.9);
    words("least good");
    expect(least_check(1.9, 1)).toBe(-1.406);
  });

  it("but_check: the first but, else BUT, as written", () => {
    words("good but bad x");
    expect(text.butIndex).toBe(1);
    expect(but_check(0, 1.9, text.butIndex)).toBe(0.95);
    expect(but_check(1, 0, text.butIndex)).toBe(0);
    expect(but_check(2, -2.5, text.butIndex)).toBe(-3.75);
    words("good BUT bad");
    expect(but_check(2, -2.5, text.butIndex)).toBe(-3.75);
    words("good But bad");
    expect(text.butIndex).toBe(-1);
    expect(but_check(2, -2.5, text.butIndex)).toBe(-2.5);
    scores("The food is good but the service is bad");
    expect(result.compound).toBe(-0.5859);
    expect(result.neg).toBe(0.347);
  });

  it("idioms_check: SPECIAL_CASE_IDIOMS around the word, and booster bigrams before it", () => {
    words("yeah right x y");
    expect(idioms_check(1.9, 1, text.wordCount)).toBe(-2);
    words("cut the mustard x");
    expect(idioms_check(1.9, 2, text.wordCount)).toBe(2);
    words("sort of x good");
    expect(idioms_check(1.9, 3, text.wordCount)).toBe(1.607);
    words("x kind of good");
    expect(idioms_check(1.9, 3, text.wordCount)).toBe(1.607);
    words("x y z good");
    expect(idioms_check(1.9, 3, text.wordCount)).toBe(1.9);
    words("a b c kiss of death");
    expect(idioms_check(1.9, 3, text.wordCount)).toBe(-1.5);
  });

  it("never_check", () => {
    words("never so good");
    expect(never_check(1.9, 1, 2)).toBe(2.8499999999999996);
    words("not good");
    expect(never_check(1.9, 0, 1)).toBe(-1.406);
    words("never this x good");
    expect(never_check(1.9, 2, 3)).toBe(2.375);
    words("isn't x good");
    expect(never_check(1.9, 1, 2)).toBe(-1.406);
    words("so x y good");
    expect(never_check(1.9, 2, 3)).toBe(1.9);
    scores("I never so loved it");
    expect(result.compound).toBe(0.7776);
  });

  it("punctuation_emphasis, amplify_ep, amplify_qm", () => {
    expect(amplify_ep(3)).toBe(0.8759999999999999);
    expect(amplify_ep(6)).toBe(1.168);
    expect(amplify_qm(1)).toBe(0);
    expect(amplify_qm(2)).toBe(0.36);
    expect(amplify_qm(3)).toBe(0.54);
    expect(amplify_qm(4)).toBe(0.96);
    words("a!!b! ok?");
    expect(punctuation_emphasis(text)).toBe(0.8759999999999999);
    scores("good!!!");
    expect(result.compound).toBe(0.5826);
    scores("good??");
    expect(result.compound).toBe(0.504);
  });

  it("sift_sentiment_scores and score_valence", () => {
    // score_valence([1.9, -2.5, 0, 0], "x!"): the sums, then the punctuation emphasis of one "!".
    const sums = new SentimentSums();
    sift_sentiment_scores(sums, 1.9); // "good"
    sift_sentiment_scores(sums, -2.5);
    sift_sentiment_scores(sums, 0);
    sift_sentiment_scores(sums, 0);
    score_valence(sums, amplify_ep(1), result);
    expect(result.neg).toBe(0.436);
    expect(result.neu).toBe(0.23);
    expect(result.pos).toBe(0.334);
    expect(result.compound).toBe(-0.2244);
  });
});

describe("roundFixed", () => {
  it("is parseFloat(x.toFixed(n)): half up on the double's exact value", () => {
    expect(roundFixed(0.0625, 3)).toBe(0.063); // an exact tie rounds up
    expect(roundFixed(1.0005, 3)).toBe(1.0); // 1.0005 is 1.000499999... as a double
    expect(roundFixed(0.8316, 4)).toBe(0.8316);
    expect(roundFixed(-0.54605, 4)).toBe(-0.5461);
    expect(roundFixed(0.00004, 4)).toBe(0.0);
    expect(roundFixed(1.0, 3)).toBe(1.0);
    expect(roundFixed(0.9999, 3)).toBe(1.0);
  });

  it("keeps the sign of a negative value that rounds to zero, as parseFloat('-0.0000') does", () => {
    expect(1 / roundFixed(-0.00001, 4)).toBe(-Infinity);
    expect(1 / roundFixed(0.00001, 4)).toBe(Infinity);
  });
});
