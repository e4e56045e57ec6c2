// tarkin eval streams: on a million generated lines (tarkin sample, 114 MB) its peak resident memory
// stays within 150 MB, where reading every message into memory took 650-850 MB. Measured by the
// kernel's own peak (getrusage's ru_maxrss, read in the process as it exits), not by sampling.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import { ROOT } from "../helpers.js";
import { SAMPLE_ATTACK_PATTERN } from "../../host/core/eval/eval.js";

const CLI = resolve(ROOT, "dist/tarkin.js");
const LINES = 1_000_000;
const LIMIT_MB = 150;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "tarkin-eval-volume-"));
  const r = spawnSync(process.execPath, [CLI, "sample", "--lines", String(LINES), "--seed", "3", "-o", join(dir, "million.log")], { encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  // Preloaded into the CLI: writes the process's peak resident set (KiB) to a file as it exits.
  writeFileSync(join(dir, "peak.mjs"), 'import { writeFileSync } from "node:fs";\nprocess.on("exit", () => writeFileSync(process.env.TARKIN_PEAK_FILE, String(process.resourceUsage().maxRSS)));\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs tarkin eval with these arguments; its JSON output and its peak resident memory in MB. */
function evalPeak(args: string[]): { out: { records: number; alerts: number; top: { line: number; fear: number; label: boolean }[]; methods: { key: string; auc: number }[] }; peakMB: number } {
  const peakFile = join(dir, "peak.txt");
  const r = spawnSync(process.execPath, ["--import", pathToFileURL(join(dir, "peak.mjs")).href, CLI, "eval", ...args, "--json"], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, TARKIN_PEAK_FILE: peakFile },
  });
  expect(r.status, r.stderr).toBe(0);
  const peakMB = (Number(readFileSync(peakFile, "utf8")) * 1024) / 1e6;
  console.log(`tarkin eval ${args.join(" ")}: peak resident memory ${peakMB.toFixed(1)} MB`);
  return { out: JSON.parse(r.stdout), peakMB };
}

async function attacks(file: string): Promise<number> {
  let n = 0;
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) if (SAMPLE_ATTACK_PATTERN.test(line)) n++;
  return n;
}

describe(`tarkin eval on ${LINES} lines`, () => {
  let trained: ReturnType<typeof evalPeak>["out"];
  it(`trains on them and scores them in at most ${LIMIT_MB} MB, keeping the top records in a bounded heap`, async () => {
    const { out, peakMB } = evalPeak(["million.log", "--labels", "sample", "--top", "10"]);
    trained = out;
    expect(out.records).toBe(LINES);
    expect(out.alerts).toBe(await attacks(join(dir, "million.log")));
    expect(out.top).toHaveLength(10);
    for (let i = 1; i < out.top.length; i++) expect(out.top[i - 1].fear).toBeGreaterThanOrEqual(out.top[i].fear);
    expect(out.methods.find((m) => m.key === "fear")!.auc).toBeGreaterThan(0.8);
    expect(peakMB).toBeLessThanOrEqual(LIMIT_MB);
  });

  it(`with a model given (the record count not known from training) in at most ${LIMIT_MB} MB too`, () => {
    const model = spawnSync(process.execPath, [CLI, "train", "million.log", "-o", "model.json"], { cwd: dir, encoding: "utf8" });
    expect(model.status, model.stderr).toBe(0);
    const { out, peakMB } = evalPeak(["million.log", "--labels", "sample", "--model", "model.json"]);
    expect(out.records).toBe(LINES);
    expect(out.methods).toEqual(trained.methods); // the same model as training on the same lines
    expect(peakMB).toBeLessThanOrEqual(LIMIT_MB);
  });
});
