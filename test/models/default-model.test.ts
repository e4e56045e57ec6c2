// The embedded default model is reproducible: the project's own sample corpus, trained again, gives
// exactly models/default.json (the recipe is `npm run model:default`).
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { coreWasm, ROOT } from "../helpers.js";
import { sampleLines } from "../../host/core/sample.js";
import { parseModel } from "../../host/core/module/model.js";
import { ModuleDriver } from "../../host/core/module/driver.js";

describe("the embedded default model", () => {
  it("is the model of the generated sample corpus (20,000 lines, seed 1)", () => {
    const committed = parseModel(readFileSync(resolve(ROOT, "models/default.json"), "utf8"), "models/default.json");
    const t = ModuleDriver.fromBytes(coreWasm());
    const text = [...sampleLines({ lines: 20_000, seed: 1 })].join("\n") + "\n";
    t.trainLines(new TextEncoder().encode(text));
    const model = t.model();
    expect(model.messages).toBe(committed.messages);
    expect(model.characters).toEqual(committed.characters);
  });

  it("the sample corpus is deterministic and mixes in attacks", () => {
    const a = [...sampleLines({ lines: 500, seed: 9 })];
    expect([...sampleLines({ lines: 500, seed: 9 })]).toEqual(a);
    expect([...sampleLines({ lines: 500, seed: 10 })]).not.toEqual(a);
    const attacks = a.filter((l) => /invalid user|sqlmap|Nikto|segfault|Out of memory|Unauthorized|injection|refused/i.test(l));
    expect(attacks.length).toBeGreaterThan(0);
    expect(attacks.length).toBeLessThan(50);
  });
});
