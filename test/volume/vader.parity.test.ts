// VADER parity on 100,000 generated texts (test/vader.parity.test.ts checks the first 5,000 on every change).
import { describe } from "vitest";
import { packedTarkin } from "../helpers.js";
import { itMatchesGenerated } from "../vader.generator.js";

describe("VADER parity with vader-sentiment 1.1.3", () => {
  itMatchesGenerated(packedTarkin(), 100_000);
});
