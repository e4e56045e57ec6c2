// Issue 24, item 4: detection on another web site (site.ts, seeded, no ../shared needed): a news
// site with an API, nothing of the shop's. For each of three seeds the real module trains on the
// clean day (clean protocol) and scores the next, drifted day with the attacks mixed in, in order,
// as a shipper runs it. Asserts the issue's goal for another site (>= 95% of the attacks at <= 1%
// false alarms, pooled over the seeds) and each class's figure today as a floor, with a margin.
//
// To write one seed's files for the CLI (site_clean.log, site.log, site.labels) into a directory:
//   TARKIN_SITE_OUT=/tmp/site npx vitest run --project fast test/detection/site.test.ts
//   node dist/tarkin.js eval /tmp/site/site.log --labels /tmp/site/site.labels --train /tmp/site/site_clean.log
import { beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isIP } from "node:net";
import { ModuleDriver } from "../../host/core/module/driver.js";
import { coreWasm } from "../helpers.js";
import { packedModule, trainModel } from "./measure.js";
import { ATTACK_CLASSES, NORMAL_CLASSES, siteLog, writeSite, type SiteLog } from "./site.js";

const SEEDS = [1, 2, 3];

// Flagged share per class, pooled over the seeds, as the module of this commit measured it: recall
// for the attacks, false alarms for the normal traffic. A class may fall below (attacks) or rise
// above (normal) its figure by MARGIN or one line, whichever is more. Raise a figure when detection
// improves.
const TODAY: Record<string, number> = {
  sqli: 0.983,
  xss: 1,
  traversal: 1,
  command: 0.994,
  scanner: 0.944,
  lookup: 0.994,
  ssrf: 0.906,
  "unknown-parameter": 1,
  encoded: 1,
  "all attacks": 0.98,
  "all normal": 0.0011,
};
const MARGIN = { attack: 0.03, normal: 0.002 };
const GOAL = { recall: 0.95, falseAlarms: 0.01 };

interface Row {
  cls: string;
  kind: "attack" | "normal";
  n: number;
  flagged: number;
}

function measure(logs: SiteLog[]): Row[] {
  const core = coreWasm();
  const counts = new Map<string, { n: number; flagged: number }>();
  const add = (cls: string, flagged: boolean) => {
    const c = counts.get(cls) ?? { n: 0, flagged: 0 };
    c.n++;
    if (flagged) c.flagged++;
    counts.set(cls, c);
  };
  for (const log of logs) {
    const driver = ModuleDriver.fromBytes(packedModule(core, trainModel(core, log.training.map((x) => x.line))));
    for (const x of log.eval) {
      const flagged = driver.score(x.line).anomaly;
      add(x.cls, flagged);
      add(x.label === "0" ? "all normal" : "all attacks", flagged);
    }
  }
  const row = (cls: string, kind: Row["kind"]): Row => ({ cls, kind, ...(counts.get(cls) ?? { n: 0, flagged: 0 }) });
  return [...ATTACK_CLASSES.map((c) => row(c, "attack")), row("all attacks", "attack"), ...NORMAL_CLASSES.map((c) => row(c, "normal")), row("all normal", "normal")];
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const share = (r: Row) => (r.n ? r.flagged / r.n : 0);

function table(rows: Row[]): string {
  const header = ["class", "kind", "lines", "flagged", "tarkin"];
  const cells = rows.map((r) => [r.cls, r.kind === "attack" ? "recall" : "false alarms", String(r.n), String(r.flagged), pct(share(r))]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((x, i) => (i >= 2 ? x.padStart(widths[i]) : x.padEnd(widths[i]))).join("  ").trimEnd();
  return [line(header), ...cells.map(line)].join("\n");
}

// Apache combined, as the site's server writes it.
const COMBINED = /^(\S+) - - \[\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0100\] "([A-Z]+) (\S+) HTTP\/1\.1" (\d{3}) (\d+|-) "((?:[^"\\]|\\.)*)" "((?:[^"\\]|\\.)*)"$/;

describe("another web site (issue 24, item 4)", () => {
  const logs = SEEDS.map((seed) => siteLog(seed));
  const [log] = logs;

  it("is seeded: the same seed gives the same log, another seed another", () => {
    const again = siteLog(SEEDS[0]);
    expect(again.training.map((x) => x.line)).toEqual(log.training.map((x) => x.line));
    expect(again.eval.map((x) => x.line + x.label)).toEqual(log.eval.map((x) => x.line + x.label));
    expect(logs[1].eval.map((x) => x.line)).not.toEqual(log.eval.map((x) => x.line));
  });

  it("is Apache combined lines from valid addresses; training clean; every class in the eval day, attacks a few percent", () => {
    for (const x of [...log.training, ...log.eval]) {
      const m = COMBINED.exec(x.line);
      expect(m, x.line).not.toBeNull();
      expect(isIP(m![1]), m![1]).not.toBe(0);
    }
    expect(log.training.every((x) => x.label === "0")).toBe(true);
    for (const c of ATTACK_CLASSES) expect(log.eval.filter((x) => x.label === c).length, c).toBeGreaterThanOrEqual(50);
    for (const c of NORMAL_CLASSES) expect(log.eval.filter((x) => x.cls === c).length, c).toBeGreaterThanOrEqual(50);
    const attacks = log.eval.filter((x) => x.label !== "0").length / log.eval.length;
    expect(attacks).toBeGreaterThan(0.03);
    expect(attacks).toBeLessThan(0.1);
  });

  it("drifts on the eval day as a next day does: new articles, a new deploy's files, new browsers, more IPv6", () => {
    const paths = (xs: SiteLog["eval"]) => new Set(xs.filter((x) => x.label === "0").map((x) => COMBINED.exec(x.line)![3]));
    const trained = paths(log.training);
    const next = [...paths(log.eval)];
    expect(next.filter((p) => /^\/assets\/app\.[0-9a-f]{8}\.js$/.test(p) && !trained.has(p)).length).toBe(1);
    expect(next.filter((p) => p.startsWith("/news/") && !trained.has(p)).length).toBeGreaterThan(20);
    const agents = new Set(log.training.map((x) => COMBINED.exec(x.line)![7]));
    expect(log.eval.filter((x) => x.label === "0" && !agents.has(COMBINED.exec(x.line)![7])).length / log.eval.length).toBeGreaterThan(0.3);
    const v6 = (xs: SiteLog["eval"]) => xs.filter((x) => x.line.split(" ")[0].includes(":")).length / xs.length;
    expect(v6(log.eval)).toBeGreaterThan(v6(log.training) + 0.05);
  });

  it("writes the clean log, the eval log and its labels for tarkin eval", () => {
    const out = process.env.TARKIN_SITE_OUT;
    const dir = out ?? mkdtempSync(join(tmpdir(), "tarkin-site-"));
    try {
      const files = writeSite(dir, log);
      const lines = (f: string) => readFileSync(f, "utf8").split("\n").slice(0, -1);
      expect(lines(files.clean)).toHaveLength(log.training.length);
      expect(lines(files.eval)).toHaveLength(log.eval.length);
      expect(lines(files.labels)).toEqual(log.eval.map((x) => x.label));
      if (out) console.log(`wrote ${files.clean}, ${files.eval}, ${files.labels}`);
    } finally {
      if (!out) rmSync(dir, { recursive: true, force: true });
    }
  });

  describe("measured with the real module, clean protocol", () => {
    let rows: Row[];
    beforeAll(() => {
      rows = measure(logs);
      console.log(`another web site, seeds ${SEEDS.join(", ")}: ${logs.map((l) => `${l.training.length} training, ${l.eval.length} eval lines`).join("; ")}\n${table(rows)}`);
    });

    it(`meets the issue's goal: at least ${pct(GOAL.recall)} of the attacks at most ${pct(GOAL.falseAlarms)} false alarms`, () => {
      const find = (cls: string) => rows.find((r) => r.cls === cls)!;
      expect(share(find("all attacks"))).toBeGreaterThanOrEqual(GOAL.recall);
      expect(share(find("all normal"))).toBeLessThanOrEqual(GOAL.falseAlarms);
    });

    it("holds today's numbers, within the margin", () => {
      const regressions: string[] = [];
      for (const r of rows) {
        if (r.kind === "normal" && r.cls !== "all normal") continue; // their sum is held
        const today = TODAY[r.cls];
        expect(today, r.cls).toBeDefined();
        const slack = Math.max(r.kind === "attack" ? MARGIN.attack : MARGIN.normal, 1 / Math.max(r.n, 1)) + 1e-9;
        const bound = r.kind === "attack" ? today - slack : today + slack;
        const ok = r.kind === "attack" ? share(r) >= bound : share(r) <= bound;
        if (!ok) regressions.push(`${r.cls}: ${pct(share(r))} flagged, ${r.kind === "attack" ? "floor" : "ceiling"} ${pct(bound)}`);
      }
      expect(regressions).toEqual([]);
    });
  });
});
