// Tarkin parity: in tarkin mode the module reproduces the original Python implementation's own
// numbers: letter statistics, every surprise (within 1e-12) and every gate decision.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { parseCsv } from "../../host/core/io/csv.js";
import { packedTarkin, shared } from "../helpers.js";

interface Golden {
  letter_space: Record<string, { n: number; K: number; Ex: number; Ex2: number; max: number; min: number; mean: number; variance: number }>;
  checks: { msg: string; surprise: number; passes_gate: boolean }[];
  threshold_final: { n: number; mean: number; variance: number; max: number };
}

/** Lines without their terminator (\n or \r\n), as the original reads them. */
function lines(file: string): string[] {
  const all = readFileSync(file, "utf8").split(/\r?\n/);
  if (all[all.length - 1] === "") all.pop();
  return all;
}

/** Column 9 (msg) of the original's example CSV, whose quoted fields may span lines. */
function csvMessages(file: string): string[] {
  return parseCsv(readFileSync(file, "utf8")).map((row) => row[8]);
}

function checkGolden(goldenFile: string, train: string[], check: string[]) {
  const golden = JSON.parse(readFileSync(goldenFile, "utf8")) as Golden;
  const tarkin = packedTarkin({ settings: { surprise: "tarkin" } });
  for (const message of train) tarkin.train(message);
  const model = tarkin.model();

  // Letter space: the same characters (JSON.parse reorders digit keys, so compare as sets), same statistics.
  expect(model.characters.map((c) => c.char).sort()).toEqual(Object.keys(golden.letter_space).sort());
  for (const c of model.characters) {
    const g = golden.letter_space[c.char];
    expect({ n: c.n, K: c.K, Ex: c.Ex, Ex2: c.Ex2, max: c.max, min: c.min }).toEqual({
      n: g.n, K: g.K, Ex: g.Ex, Ex2: g.Ex2, max: g.max, min: g.min,
    });
  }

  // Surprise and gate of every checked message, in order: the gate's state carries across them.
  const scorer = packedTarkin({ settings: { surprise: "tarkin" }, model });
  let surpriseOff = 0;
  let gateOff = 0;
  check.forEach((message, i) => {
    const g = golden.checks[i];
    expect(message).toBe(g.msg);
    const s = scorer.score(message);
    if (Math.abs(s.surprise - g.surprise) > 1e-12) surpriseOff++;
    if (s.infrequent !== g.passes_gate) gateOff++;
    expect(s.anomaly).toBe(s.infrequent && s.compound <= 0);
  });
  const gate = scorer.gate();
  const final = golden.threshold_final;
  console.log(
    `Tarkin parity (${goldenFile.split("/").pop()}): ${model.characters.length} characters, ${check.length} messages, ` +
      `${surpriseOff} surprises differ, ${gateOff} gate decisions differ`,
  );
  expect({ surpriseOff, gateOff }).toEqual({ surpriseOff: 0, gateOff: 0 });
  expect(golden.checks.length).toBe(check.length);
  expect(gate.n).toBe(final.n);
  expect(Math.abs(gate.mean - final.mean)).toBeLessThan(1e-12);
  expect(Math.abs(gate.variance - final.variance)).toBeLessThan(1e-12);
  expect(gate.max).toBe(final.max);
}

describe("Tarkin mode reproduces the original", () => {
  const example = shared("data/tarkin/golden_example.json");
  it.skipIf(!example)("on the original's example CSV (column 9)", () => {
    const messages = csvMessages(shared("data/tarkin/input-logs-example-file.csv")!);
    checkGolden(example!, messages, messages);
  });

  const apache = shared("data/tarkin/golden_apache.json");
  it.skipIf(!apache)("on loghub's Apache_2k.log (CRLF lines)", () => {
    const messages = lines(shared("data/loghub/Apache_2k.log")!);
    checkGolden(apache!, messages, messages);
  });

  const movie = shared("data/tarkin/golden_movie.json");
  it.skipIf(!movie)("on non-ASCII text (movie reviews)", () => {
    checkGolden(movie!, lines(shared("data/tarkin/movie_train.txt")!), lines(shared("data/tarkin/movie_check.txt")!));
  });
});
