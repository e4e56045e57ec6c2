// The CLI on large files runs in constant memory. Both commands run under a 32 MB JavaScript heap
// limit, far below what keeping anything per record would take (it would crash them). train's peak
// RSS on a 60 MB log is about what it is on a 6 MB one; check's settles where V8 collects the
// buffers it churns through (about 110 MB here with 64 KiB reads, 160 MB with the 1 MiB ones before).
import { describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, createWriteStream } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ROOT } from "../helpers.js";
import { sampleLines } from "../../host/core/sample.js";

const CLI = resolve(ROOT, "dist/tarkin.js");

async function writeSample(file: string, lines: number): Promise<void> {
  const out = createWriteStream(file);
  const batch: string[] = [];
  for (const line of sampleLines({ lines, seed: 11 })) {
    batch.push(line);
    if (batch.length === 10_000) {
      if (!out.write(batch.join("\n") + "\n")) await new Promise<void>((r) => out.once("drain", () => r()));
      batch.length = 0;
    }
  }
  out.end(batch.length ? batch.join("\n") + "\n" : "");
  await new Promise<void>((r) => out.once("close", () => r()));
}

/** Runs the CLI, discarding stdout, sampling its resident memory; resolves with the peak in MB. */
function peakRss(args: string[]): Promise<number> {
  return new Promise((resolvePeak, reject) => {
    const child = spawn(process.execPath, ["--max-old-space-size=32", CLI, ...args], { stdio: ["ignore", "ignore", "pipe"] });
    let peak = 0;
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setInterval(() => {
      try {
        const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
        if (m) peak = Math.max(peak, Number(m[1]) / 1024);
      } catch {
        // the process has just exited
      }
    }, 10);
    child.on("close", (code) => {
      clearInterval(timer);
      if (code !== 0) reject(new Error(`tarkin ${args.join(" ")} exited ${code}: ${stderr}`));
      else resolvePeak(peak);
    });
  });
}

describe("large files, constant memory", () => {
  const dir = mkdtempSync(join(tmpdir(), "tarkin-large-"));
  const small = join(dir, "small.log");
  const large = join(dir, "large.log");

  it("train and check run in bounded memory on a 60 MB log", async () => {
    await writeSample(small, 50_000);
    await writeSample(large, 500_000);
    try {
      const trainSmall = await peakRss(["train", small, "-o", join(dir, "s.json")]);
      const trainLarge = await peakRss(["train", large, "-o", join(dir, "l.json")]);
      const checkSmall = await peakRss(["check", small]);
      const checkLarge = await peakRss(["check", large]);
      console.log(`peak RSS: train ${trainSmall.toFixed(0)} MB (6 MB log) vs ${trainLarge.toFixed(0)} MB (60 MB log); check ${checkSmall.toFixed(0)} vs ${checkLarge.toFixed(0)} MB`);
      expect(trainLarge).toBeLessThan(trainSmall * 1.5 + 20);
      expect(checkSmall).toBeGreaterThan(0);
      expect(checkLarge).toBeLessThan(256);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
