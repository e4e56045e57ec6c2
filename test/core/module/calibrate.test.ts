// Calibration (host/core/module/calibrate.ts): the min fear it places, by its definition on chosen
// and random fears, and on the real module, whose own decisions at that min fear must agree.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { calibrate, minFearFor } from "../../../host/core/module/calibrate.js";
import { coreModule } from "../../../host/core/module/assets.js";
import { ModuleDriver } from "../../../host/core/module/driver.js";
import { packContents } from "../../../host/core/module/filter-module.js";
import { DEFAULT_SETTINGS, packModule } from "../../../host/core/module/pack.js";
import { sources } from "../../../host/core/io/input.js";
import { seededRandom } from "../../../host/core/random.js";
import { sampleLines } from "../../../host/core/sample.js";

const flaggedAt = (fears: number[], minFear: number) => fears.filter((f) => f >= minFear).length;

describe("minFearFor", () => {
  it("places min fear just above the highest fear that must not be flagged, to 4 decimals", () => {
    const fears = [0.9, 0.8, 0.7, 0.6, 0.55];
    expect(minFearFor(fears, 1000, 0.002, 0)).toBe(0.7001); // 2 of 1,000 may stay
    expect(minFearFor(fears, 1000, 0.005, 0)).toBe(0); // 5 flagged: already within 0.5%
    expect(minFearFor([0.5, 0.5], 1000, 0, 0)).toBe(0.5001); // a fear on the step is passed too
    expect(minFearFor([0.61234], 1000, 0, 0)).toBe(0.6124);
  });

  it("cannot split ties: all of a fear stay flagged or none", () => {
    expect(flaggedAt([0.6, 0.6, 0.6], minFearFor([0.6, 0.6, 0.6], 1000, 0.001, 0))).toBe(0);
  });

  it("never lowers the min fear packed", () => {
    expect(minFearFor([0.9, 0.7], 1000, 0.001, 0.95)).toBe(0.95);
    expect(minFearFor([0.9], 1000, 0.5, 0.6)).toBe(0.6);
  });

  it("on random fears: at most the share stays flagged, and one step lower would flag more", () => {
    const random = seededRandom(7);
    for (let round = 0; round < 200; round++) {
      const total = 100 + Math.floor(random() * 5000);
      const fears = Array.from({ length: Math.floor(random() * 60) }, () => 0.5 + Math.round(random() * 5000) / 10000);
      const share = Math.floor(random() * 20) / 1000;
      const minFear = minFearFor(fears, total, share, 0);
      const allowed = Math.floor(share * total);
      expect(flaggedAt(fears, minFear)).toBeLessThanOrEqual(allowed);
      if (minFear > 0) expect(flaggedAt(fears, minFear - 1e-4 - 1e-9)).toBeGreaterThan(allowed);
    }
  });
});

describe("calibrate", () => {
  const dir = mkdtempSync(join(tmpdir(), "tarkin-calibrate-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("on the real module: the min fear it places gives, in the module's own decisions, the count it reports", async () => {
    const trainer = ModuleDriver.fromBytes(coreModule());
    for (const line of sampleLines({ lines: 3000, seed: 11 })) trainer.train(line);
    const module = packModule(coreModule(), packContents(trainer.model(), DEFAULT_SETTINGS));
    const day = [...sampleLines({ lines: 3000, seed: 12 })];
    const log = join(dir, "day.log");
    writeFileSync(log, day.join("\n") + "\n");

    const c = await calibrate(module, sources([log]), 0.002, 0);
    expect(c.lines).toBe(3000);
    expect(c.flaggedBefore).toBeGreaterThan(6); // the sample's attacks: more than 0.2% flagged at first
    expect(c.minFear).toBeGreaterThan(0.5);
    expect(c.flagged).toBeLessThanOrEqual(6);

    const calibrated = ModuleDriver.fromBytes(packModule(coreModule(), packContents(trainer.model(), { ...DEFAULT_SETTINGS, minFear: c.minFear })));
    expect(day.filter((line) => calibrated.score(line).anomaly)).toHaveLength(c.flagged);
  });
});
