// The scorer reads a message's sentiment only where the fields' pass over it found what may be a
// word of the lexicon (assembly/base/words.ts); elsewhere it gives what VADER gives a text with no
// word of a valence. This asserts that the shortcut changes nothing: on every text, the scorer's
// sentiment equals VADER's over the text it reads (explain's, which always reads every word), for
// VADER's lexicon alone and for the product's (its overlays, access words and default model).
import { describe, expect, it } from "vitest";
import { readFileSync, readdirSync } from "node:fs";
import { dirname } from "node:path";
import fc from "fast-check";
import { coreWasm, defaultLexicon, packedTarkin, shared } from "../helpers.js";
import { generatedTexts } from "./vader.generator.js";
import { ModuleDriver } from "../../host/core/module/driver.js";
import { packModule, DEFAULT_SETTINGS } from "../../host/core/module/pack.js";
import { packContents } from "../../host/core/module/filter-module.js";
import { defaultModel } from "../../host/core/module/assets.js";

const vaderOnly = packedTarkin();
const product = ModuleDriver.fromBytes(packModule(coreWasm(), packContents(defaultModel(), DEFAULT_SETTINGS)));

/** The texts whose scored sentiment differs from VADER's over the text the scorer reads (at most 5), and how many were compared. */
function differing(tarkin: ModuleDriver, texts: Iterable<string>): { compared: number; differ: { text: string; scored: unknown; read: unknown }[] } {
  let compared = 0;
  const differ: { text: string; scored: unknown; read: unknown }[] = [];
  for (const text of texts) {
    const s = tarkin.score(text);
    const r = tarkin.explainSentiment(text);
    const scored = { neg: s.neg, neu: s.neu, pos: s.pos, compound: s.compound, securityNegative: s.securityNegative };
    const read = { ...r.sentiment, securityNegative: r.securityNegative };
    compared++;
    if (JSON.stringify(scored) !== JSON.stringify(read) && differ.length < 5) differ.push({ text, scored, read });
  }
  return { compared, differ };
}

// Words at every edge of a token: what VADER strips from one end, key=value, quotes, '?' '&' between
// a word's parts, digits, emoticons, bytes beyond ASCII, every kind of space, JSON.
const EDGES = [
  "", " ", "a", "ok", ":)", "ok :)", "a:)", "(:", "fail", "FAIL", "Fail!", "'fail", "fail'", '"fail"', "(fail)", "fail,", ",fail", ".fail.",
  "x=fail", "x=good", "d=", "d:", "=)", "h&k", "r&r", "(?:", ":?)", "a ?: b", "go h&k now", "/shop?h&k", "a?h&k", "h&k?", "143", "143.", "port 143",
  "10.0.0.143", "gr8", "gr8!", "n00b", "w00t?", "2g2b4g", "14aa41", "1337", "sweet<3", "<3", "</3", "once-in-a-lifetime", "self-confident.",
  "fail\u00a0now", "\u212Aill", "OK", "\u212A", "café good", "naïve", "{\"msg\":\":)\"}", "{ :) \"a\":1}", "{\"a\":\"fail\"}", "{:)}", "{\"good\":1}",
  "x {\"msg\":\"great\"}", "key=\"good day\"", "msg=\"login failed\" user=bob", "a\tgood", "a\ngood", "a\rgood", "a\vgood", "a\fgood", "good\u0001",
  "%66ail", "fail%21", "\\good", "a \"b\\\"good\" c", "don't", "isn't good", "GET /good?x=1&y=2 HTTP/1.1", "\"GET /a?h&k HTTP/1.1\" 200", "like",
  "LIKE", "very like", "the shit block", "Receiving block blk_1 src: /10.0.0.1:50010", "Mozilla/5.0 (X11; Linux x86_64) like Gecko", "FREE memory",
  "Failed password for root from 10.0.0.1 port 22 ssh2", "pam_unix(sshd:auth): authentication failure; user=root", "user=root", "password",
  "level=error msg=\"upstream timeout\"", "ERROR", "kind of", "at least", "no", "NO!", "!!!", "a b", "ab", "\u00e9", "\u00e9\u00e9", "😀", "a 😀 b",
  // A reviewer's: an escaped space; a JSON string that reads as a request line, a '&' or '?' by a
  // quote, key=" and \" inside one, and a scalar cut at its space (the object's values are the
  // sentiment's text's, not the tokenizer's).
  "\"x\\ good\"", "path=\"/tmp/my\\ terrible\"", "msg=\"cannot\\ fail\"", "{\"msg\":\"x\\ good\"}", "{\"msg\":\"INFO [error] x\"}", "{\"r\":\"GET [: x\"}",
  "{\"msg\":\"INFO x h&k\",\"a\":1}", "{\"r\":\"GET x &:\"}", "r&r\"a\":1", "{\"r\":\"GET d=\"}", "{\"r\":\"GET k=\"\\\"good\"}",
  "{\"msg\":\"INFO got \\\"\",\"x\":\"[: y\"}", "{\"request\":\"GET /a\\\" b\",\"c\":\"z }: q\"}", "{\"a\":k=\"x y\",\"b\":\"p ]:\"}",
];

// Log lines built from a lexicon's words and a log's tokens, joined by what a log puts between them.
function logLikeTexts(words: string[], count: number, seed: number): string[] {
  const tokens = ["10.0.0.5", "2026-12-07T10:00:00Z", "sshd[2459]:", "/var/log/auth.log", "port", "22", "user", "root", "blk_-160", "(uid=0)", "[preauth]", "GET", "HTTP/1.1", "{", "}", "\"", "=", "%20", "\\"];
  const piece = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...words) }, { weight: 3, arbitrary: fc.constantFrom(...tokens) }, { weight: 1, arbitrary: fc.string({ unit: "grapheme-ascii", maxLength: 3 }) });
  const joint = fc.constantFrom(" ", " ", " ", "", "?", "&", "\"", "=", ":", ",", ".", "/", "\t", "\n", "-", "'", "(", ")", "{\"a\":\"", "\":", "%21");
  const line = fc.array(fc.tuple(piece, joint), { maxLength: 12 }).map((parts) => parts.map(([p, j]) => p + j).join(""));
  return fc.sample(line, { numRuns: count, seed });
}

function loghubLines(): string[] {
  const file = shared("data/loghub/BGL_2k.log");
  if (!file) return [];
  const dir = dirname(file);
  return readdirSync(dir)
    .filter((f) => f.endsWith(".log"))
    .sort()
    .flatMap((f) => readFileSync(`${dir}/${f}`, "utf8").split(/\r?\n/).filter((l) => l !== ""));
}

function groundTruth(): string[] {
  const file = shared("data/vader/tweets_GroundTruth.txt");
  if (!file) return [];
  return readFileSync(file, "utf8").split(/\r?\n/).filter((l) => l !== "").map((l) => l.split("\t").slice(2).join("\t"));
}

describe("the scorer's sentiment, read only where the fields' pass may find a word of the lexicon", () => {
  const lexiconWords = [...defaultLexicon().keys()];
  const productWords = [...lexiconWords, "error", "failed", "denied", "invalid", "timeout", "block", "free", "like", "password", "user", "FATAL", "killed"];

  for (const [name, tarkin, words] of [["VADER's lexicon alone", vaderOnly, lexiconWords], ["the product's lexicon and model", product, productWords]] as const) {
    describe(name, () => {
      it("equals VADER's over the text it reads, at every edge of a token", () => {
        expect(differing(tarkin, EDGES)).toEqual({ compared: EDGES.length, differ: [] });
      });

      it("equals it on 3,000 generated texts that exercise every rule and 5,000 log-like lines", () => {
        const texts = [...generatedTexts(3_000, 20261207), ...logLikeTexts(words, 5_000, 20261207)];
        expect(differing(tarkin, texts)).toEqual({ compared: texts.length, differ: [] });
      });

      it("equals it on arbitrary text (fast-check)", () => {
        fc.assert(
          fc.property(fc.string({ unit: "binary", maxLength: 60 }), (text) => {
            expect(differing(tarkin, [text]).differ).toEqual([]);
          }),
          { numRuns: 2_000, seed: 11 },
        );
      });

      it("equals it on loghub's lines and VADER's rated tweets (../shared)", () => {
        const texts = [...loghubLines(), ...groundTruth()];
        expect(differing(tarkin, texts)).toEqual({ compared: texts.length, differ: [] });
      });
    });
  }
});
