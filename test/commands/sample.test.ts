// tarkin sample end to end: deterministic by seed, its line count and mix, its errors.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { useTestDirectory, dir, runHere as run, ok, fails, linesOf, sample } from "./cli.helpers.js";

useTestDirectory();

describe("tarkin sample", () => {
  it("is deterministic: the same --seed gives byte-identical output, on stdout and with -o", async () => {
    const a = ok(await run(["sample", "--lines", "300", "--seed", "7"])).stdout;
    const b = ok(await run(["sample", "--lines", "300", "--seed", "7"])).stdout;
    expect(a.length).toBeGreaterThan(0);
    expect(b).toBe(a);
    await sample("s.log", 300, 7);
    expect(readFileSync(join(dir, "s.log"))).toEqual(Buffer.from(a, "utf8"));
  });

  it("differs for different seeds", async () => {
    const a = ok(await run(["sample", "--lines", "300", "--seed", "1"])).stdout;
    const b = ok(await run(["sample", "--lines", "300", "--seed", "2"])).stdout;
    expect(b).not.toBe(a);
  });

  it.each([0, 1, 300])("--lines %i writes exactly that many lines", async (n) => {
    const out = ok(await run(["sample", "--lines", String(n), "--seed", "3"])).stdout;
    expect(linesOf(out)).toHaveLength(n);
    if (n) expect(out.endsWith("\n")).toBe(true);
    else expect(out).toBe("");
  });

  it("--attacks changes the mix but not the count", async () => {
    const none = ok(await run(["sample", "--lines", "300", "--attacks", "0"])).stdout;
    const all = ok(await run(["sample", "--lines", "300", "--attacks", "1"])).stdout;
    expect(linesOf(none)).toHaveLength(300);
    expect(linesOf(all)).toHaveLength(300);
    expect(all).not.toBe(none);
  });

  it.each([
    ["--lines", "abc"],
    ["--lines", "-3"],
    ["--lines", "1.5"],
    ["--lines", ""],
    ["--seed", "abc"],
    ["--seed", "1.5"],
    ["--seed", ""],
    ["--attacks", "2"],
    ["--attacks", "-0.1"],
    ["--attacks", "abc"],
    ["--attacks", ""],
  ])("rejects %s %j with one tarkin sample: line and exit 2", async (option, value) => {
    const r = fails(await run(["sample", "--lines", "5", option, value]));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^tarkin sample: /);
    expect(r.stderr).toContain(option);
    expect(r.stdout).toBe("");
  });

  it.each([3, 3000])("-o into a missing directory fails clearly (%i lines)", async (n) => {
    fails(await run(["sample", "--lines", String(n), "-o", "missing-dir/s.log"]), /missing-dir/);
  });
});
