// VADER parity over many texts, declared at a size by test/module/vader.parity.test.ts (every change) and
// test/module/vader.parity.volume.test.ts: VADER's human-rated ground truth, and seeded generated texts.
import { expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { compareSentiment, shared } from "../helpers.js";
import { generatedTexts } from "./vader.generator.js";
import type { ModuleDriver } from "../../host/core/module/driver.js";

/** A test: the module's sentiment equals the reference's on every sentence of the ground-truth files `files` matches, at least `rows` of them (needs ../shared). */
export function itMatchesGroundTruth(tarkin: ModuleDriver, what: string, files: RegExp, rows: number): void {
  const vaderDir = shared("data/vader/tweets_GroundTruth.txt");
  it.skipIf(!vaderDir)(`matches on every human-rated ${what} of VADER's ground truth`, () => {
    const dir = dirname(vaderDir!);
    const sentences: string[] = [];
    for (const file of readdirSync(dir).filter((f) => files.test(f)).sort()) {
      for (const line of readFileSync(`${dir}/${file}`, "utf8").split(/\r?\n/)) {
        if (line === "") continue;
        const fields = line.split("\t");
        sentences.push(fields.slice(2).join("\t"));
      }
    }
    const { compared, differ, differing } = compareSentiment(tarkin, sentences);
    console.log(`VADER parity (ground truth): ${compared} compared, ${differ} differ`);
    expect(compared).toBeGreaterThanOrEqual(rows);
    expect(differing).toEqual([]);
  });
}

/** A test: the module's sentiment equals the reference's on the first `count` generated texts of one seed. */
export function itMatchesGenerated(tarkin: ModuleDriver, count: number): void {
  it(`matches on ${count.toLocaleString("en")} generated texts that exercise every rule`, () => {
    const { compared, differ, differing } = compareSentiment(tarkin, generatedTexts(count, 20261122));
    console.log(`VADER parity (generated): ${compared} compared, ${differ} differ`);
    expect(compared).toBe(count);
    expect(differing).toEqual([]);
  });
}
