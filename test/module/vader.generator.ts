// Texts that exercise every VADER rule and every place the reference's string handling could part
// from a byte-level port: seeded, so a failure reproduces.
import fc from "fast-check";
import { defaultLexicon } from "../helpers.js";

const BOOSTERS = [
  "absolutely", "extremely", "very", "so", "really", "totally", "fucking", "more", "most", "uber", "hella",
  "almost", "barely", "hardly", "kinda", "kindof", "kind-of", "sorta", "sort-of", "slightly", "somewhat", "little", "less",
];
const NEGATIONS = [
  "not", "never", "isn't", "isnt", "don't", "dont", "can't", "cannot", "without", "nor", "none", "nothing", "uh-uh",
  "wouldn't", "despite", "rarely", "seldom", "ain't", "won't", "Not", "NEVER", "doesn't", "haven't",
];
const RULE_WORDS = [
  "but", "BUT", "But", "least", "LEAST", "at", "very", "kind", "KIND", "of", "Of", "sort", "just", "enough",
  "never", "so", "this", "the", "The", "shit", "bomb", "bad", "ass", "yeah", "right", "cut", "mustard",
  "kiss", "death", "hand", "to", "mouth", "yeah right", "the shit", "the bomb", "bad ass", "cut the mustard",
  "kiss of death", "hand to mouth", "kind of", "sort of", "just enough", "at least", "very least", "never so", "never this",
];
const NEUTRAL = ["the", "a", "log", "server", "user", "root", "sshd", "port", "session", "from", "for", "to", "is", "was", "I", "it"];
const UNICODE = [
  "café", "naïve", "ÉCHEC", "straße", "STRASSE", "日本語", "错误", "エラー", "ΣΊΣΥΦΟΣ", "ὈΔΥΣΣΕΎΣ", "İstanbul", "\u212Aill",
  "\u212A", "ǅ", "ǈungla", "Ⅻ", "😀", "😡", "💩", "👍", "❤️", "💔", "🙂", "👨‍👩‍👧", "🇪🇸", "\u0301", "e\u0301", "a\u0000b",
  "ﬁne", "ＢＡＤ", "ｇｏｏｄ", "\uFFFD", "𝐁𝐀𝐃", "Þ", ":-Þ", ":Þ", ":-þ", "\u0130", "ß", "ẞ",
];
const PUNCTUATION = [".", "!", "?", ",", ";", ":", "-", "'", '"', "!!", "!!!", "??", "???", "?!?", "!?!", "?!?!", "!?!?", "(", ")", "...", "!?", "#", "@", "*", "_", "~"];
const SPACES = [" ", " ", " ", "  ", "\t", "\n", "\r\n", "\v", "\f", "\u00a0", "\u1680", "\u2003", "\u200a", "\u2028", "\u2029", "\u202f", "\u205f", "\u3000", "\ufeff", "\u0085", "\u180e", "\u001c", "\u200b", ""];

export function generatedTexts(count: number, seed: number): string[] {
  const lexicon = [...defaultLexicon().keys()];
  const pick = <T>(items: T[]) => fc.constantFrom(...items);
  const word = fc.oneof(
    { weight: 6, arbitrary: pick(lexicon) },
    { weight: 2, arbitrary: pick(BOOSTERS) },
    { weight: 2, arbitrary: pick(NEGATIONS) },
    { weight: 3, arbitrary: pick(RULE_WORDS) },
    { weight: 3, arbitrary: pick(NEUTRAL) },
    { weight: 1, arbitrary: pick(UNICODE) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 4 }) },
    { weight: 1, arbitrary: fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 3 }) },
  );
  const shaped = fc
    .tuple(word, fc.nat(9), pick(PUNCTUATION), pick(PUNCTUATION))
    .map(([w, how, before, after]) => {
      if (how === 0) return w.toUpperCase();
      if (how === 1) return w + after;
      if (how === 2) return before + w;
      if (how === 3) return before + w + after;
      if (how === 4) return w[0]?.toUpperCase() + w.slice(1);
      return w;
    });
  const text = fc
    .tuple(fc.array(fc.tuple(shaped, pick(SPACES)), { maxLength: 14 }), fc.nat(99), pick(PUNCTUATION))
    .map(([parts, shape, end]) => {
      let t = parts.map(([w, s]) => w + s).join("");
      if (shape < 15) t += end;
      if (shape === 99) t = t.repeat(400); // long texts: thousands of words
      if (shape === 98) t = SPACES.slice(0, 20).join("");
      return t;
    });
  return fc.sample(text, { numRuns: count, seed });
}
