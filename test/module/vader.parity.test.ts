// VADER parity: the module's sentiment equals vader-sentiment's polarity_scores, value for value.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { compareSentiment, packedTarkin, referenceSentiment } from "../helpers.js";
import { itMatchesGenerated, itMatchesGroundTruth } from "./vader.parity.suite.js";

const tarkin = packedTarkin();

describe("VADER parity with vader-sentiment 1.1.3", () => {
  it("matches the reference's own examples and edge cases", () => {
    const texts = [
      "VADER is smart, handsome, and funny.", "VADER is smart, handsome, and funny!", "VADER is very smart, handsome, and funny.",
      "VADER is VERY SMART, handsome, and FUNNY.", "VADER is VERY SMART, handsome, and FUNNY!!!",
      "VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!", "VADER is not smart, handsome, nor funny.",
      "The book was good.", "At least it isn't a horrible book.", "The book was only kind of good.",
      "The plot was good, but the characters are uncompelling and the dialog is not great.", "Today SUX!",
      "Today only kinda sux! But I'll get by, lol", "Make sure you :) or :D today!", "Catch utf-8 emoji such as 💘 and 💋 and 😁",
      "Not bad at all", "", " ", "\t\n", "a", "!!", "??", "?!?!", "no", "NO!", "but", "BUT BUT but", "kind of", "sort of bad",
      // Around the 1,024 words the module describes once (assembly/sentiment/vader.ts WORDS); a longer text is read twice.
      ...[1020, 1021, 1022, 1023, 1024, 1025, 3000].map((n) => "ok ".repeat(n) + "not very bad but kind of GREAT, the shit!"),
      "but " + "GOOD very bad never so nice ".repeat(300),
      // Keys with digits (the longest has 7 bytes) among log tokens with digits that cannot be keys.
      "I <3 you, 2g2b4g 14aa41 1337 0:-3 </3 (8 at 10:30:00 2026-11-22T10:00:00Z from 192.168.0.1 pid=4242",
      "hated /var/lib/a-path-far-longer-than-any-key/file.log but didn't-mind-this-long-token-at-all good",
    ];
    const { compared, differ, differing } = compareSentiment(tarkin, texts);
    console.log(`VADER parity (edge cases): ${compared} compared, ${differ} differ`);
    expect(differing).toEqual([]);
  });

  // Every sentence of all four sets (23,703) in test/module/vader.parity.volume.test.ts; `wc -l` says 4,199
  // here, 23,699 there, because each file's last row has no line end.
  itMatchesGroundTruth(tarkin, "tweet", /^tweets_GroundTruth\.txt$/, 4_199);

  // 100,000 in test/module/vader.parity.volume.test.ts.
  itMatchesGenerated(tarkin, 5_000);

  it("matches on arbitrary Unicode text (fast-check, shrinking to a minimal counterexample)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 80 }), (text) => {
        expect(tarkin.sentiment(text)).toEqual(referenceSentiment(text));
      }),
      { numRuns: 5_000, seed: 7 },
    );
  });
});
