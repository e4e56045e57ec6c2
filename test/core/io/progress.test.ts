// Progress bars: on a terminal (run under util-linux's `script`, which gives the command a pseudo-
// terminal), check, report, eval and train draw one over a large input's bytes and end it at 100%;
// without a terminal, on a small input, or with check's records on the same terminal, none.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ROOT } from "../../helpers.js";

const CLI = resolve(ROOT, "dist/tarkin.js");
const SCRIPT = spawnSync("script", ["--version"], { encoding: "utf8" }).status === 0;
if (!SCRIPT) console.log("[notice] util-linux's script is not installed: skipping the progress bars on a terminal");

let dir: string;
let megabytes: number;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "tarkin-progress-"));
  expect(spawnSync(process.execPath, [CLI, "sample", "--lines", "100000", "--seed", "4", "-o", join(dir, "large.log")]).status).toBe(0);
  writeFileSync(join(dir, "small.log"), "sshd[1]: Accepted publickey for alice\n".repeat(1000));
  megabytes = Math.round(statSync(join(dir, "large.log")).size / 1e6);
  expect(megabytes).toBeGreaterThanOrEqual(8);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const quote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;

/** What a terminal shows of `tarkin args` (its redraws as separate frames), with stdout sent to `stdout`. */
function onTerminal(args: string[], stdout = "/dev/null"): { status: number | null; frames: string[] } {
  const command = [process.execPath, CLI, ...args].map(quote).join(" ") + (stdout === "tty" ? "" : ` > ${stdout}`);
  const r = spawnSync("script", ["-qec", command, "/dev/null"], { cwd: dir, encoding: "utf8", maxBuffer: 256 << 20, env: { ...process.env, COLUMNS: "120" } });
  // Each redraw moves to the first column (ESC [ 1 G); strip the other control sequences.
  const frames = r.stdout.split(/\x1b\[1G|\r/).map((f) => f.replace(/\x1b(\[[\d;?]*[a-zA-Z]|[78])/g, ""));
  return { status: r.status, frames };
}

const bars = (frames: string[], label: string) => frames.filter((f) => f.startsWith(`${label} [`));

describe.skipIf(!SCRIPT)("on a terminal", () => {
  it("train draws its bar up to 100% of the bytes (it stopped short when counting whole megabytes)", () => {
    const r = onTerminal(["train", "large.log", "-o", "m.json"]);
    expect(r.status).toBe(0);
    const drawn = bars(r.frames, "training");
    expect(drawn.length).toBeGreaterThan(1);
    expect(drawn[0]).toMatch(/\] 0% 0\/\d+ MB/);
    expect(drawn.at(-1)).toMatch(new RegExp(`\\] 100% ${megabytes}/${megabytes} MB`));
  });

  it("check draws one when its records go elsewhere, none when they come to the same terminal", () => {
    const r = onTerminal(["check", "large.log"]);
    expect(r.status).toBe(0);
    expect(bars(r.frames, "checking").at(-1)).toMatch(/\] 100% /);
    // Only the anomalies (--mode drop), so the terminal is not flooded.
    const tty = onTerminal(["check", "large.log", "--mode", "drop"], "tty");
    expect(tty.status).toBe(0);
    expect(tty.frames.join("")).toContain('"tarkin_anomaly":true');
    expect(bars(tty.frames, "checking")).toEqual([]);
  });

  it("report and eval draw theirs; eval one for training on the records, one for scoring them", () => {
    const report = onTerminal(["report", "large.log", "-o", "r.html"]);
    expect(report.status).toBe(0);
    expect(bars(report.frames, "scoring").at(-1)).toMatch(/\] 100% /);
    const e = onTerminal(["eval", "large.log", "--labels", "sample"]);
    expect(e.status).toBe(0);
    expect(bars(e.frames, "training").at(-1)).toMatch(/\] 100% /);
    expect(bars(e.frames, "scoring").at(-1)).toMatch(/\] 100% /);
  });

  it("a small input gets no bar", () => {
    const r = onTerminal(["train", "small.log", "-o", "s.json"]);
    expect(r.status).toBe(0);
    expect(bars(r.frames, "training")).toEqual([]);
  });
});

it("without a terminal no bar is drawn", () => {
  const r = spawnSync(process.execPath, [CLI, "train", "large.log", "-o", "m.json", "--force"], { cwd: dir, encoding: "utf8" });
  expect(r.status).toBe(0);
  expect(r.stderr).toMatch(/^tarkin train: 100000 messages, \d+ characters -> m\.json\n$/);
});
