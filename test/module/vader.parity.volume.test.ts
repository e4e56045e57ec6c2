// VADER parity on all of VADER's ground truth and on 100,000 generated texts (test/module/vader.parity.test.ts
// checks the tweets and the first 5,000 on every change).
import { describe } from "vitest";
import { packedTarkin } from "../helpers.js";
import { itMatchesGenerated, itMatchesGroundTruth } from "./vader.parity.suite.js";

describe("VADER parity with vader-sentiment 1.1.3", () => {
  const tarkin = packedTarkin();
  // 23,703 rows: `wc -l` says 23,699 because each file's last row has no line end.
  itMatchesGroundTruth(tarkin, "sentence", /_GroundTruth\.txt$/, 23_699);
  itMatchesGenerated(tarkin, 100_000);
});
