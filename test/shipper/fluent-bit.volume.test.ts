// A long run in the real Fluent Bit: a million records through the packed module, every one out,
// Fluent Bit's memory flat after warm-up. Skips with a notice without fluent-bit (see
// test/shipper/fluent-bit.test.ts for the rest).
import { describe, expect, it } from "vitest";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BINARY, dir, lines, modules, useFluentBitFixture, WASM_ERRORS } from "./fluent-bit.helpers.js";
import { runPipeline } from "../../host/core/module/fluent-bit.js";

describe.skipIf(!BINARY)("the real Fluent Bit", () => {
  useFluentBitFixture();

  it("a long run of 1,000,000 records: every one out, and Fluent Bit's memory flat after warm-up", { timeout: 900_000 }, async () => {
    const total = 1_000_000;
    const file = join(dir, "long.log");
    // 10,000 lines a block, the records cycled: without ../shared there are only 6,003 of them.
    const block = Array.from({ length: 10_000 }, (_, i) => lines[i % lines.length]).join("\n") + "\n";
    writeFileSync(file, block.repeat(total / 10_000));
    const every = 100_000;
    const output = join(dir, "long.out");
    const run = await runPipeline(
      BINARY!,
      { input: file, output, log: join(dir, "long.fluent-bit.log"), filter: { module: modules.annotate, functionName: "tarkin_filter", eventFormat: "json" } },
      join(dir, "long.yaml"),
      total,
      { timeoutMs: 840_000, rssEvery: every },
    );
    rmSync(output, { force: true });
    rmSync(file, { force: true });
    expect(run.records).toBe(total);
    const mib = run.rss.map((b) => +(b / 2 ** 20).toFixed(1));
    console.log(`fluent-bit RSS every ${every.toLocaleString("en")} records out (MiB): ${mib.join(", ")}; ${run.cpuSeconds.toFixed(1)} s of CPU`);
    // After the first 200,000 (buffers grown, chunks cycling), it stays within 8 MiB of where it was.
    const settled = run.rss.slice(1);
    expect(Math.max(...settled) - settled[0]).toBeLessThan(8 * 2 ** 20);
    expect(run.log).not.toMatch(WASM_ERRORS);
  });
});
