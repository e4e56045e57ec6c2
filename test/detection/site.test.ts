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
import { isIP } from "node:net";
import { coreWasm } from "../helpers.js";
import { checkWritten, classTable, measureByClass, pct, regressions, share, type ClassRow } from "./labelled.js";
import { ATTACK_CLASSES, NORMAL_CLASSES, siteLog, writeSite, type SiteLog } from "./site.js";

const SEEDS = [1, 2, 3];

// Flagged share per class, pooled over the seeds, as the module of this commit measured it: recall
// for the attacks, false alarms for the normal traffic. A class may fall below (attacks) or rise
// above (normal) its figure by MARGIN or one line, whichever is more. Raise a figure when detection
// improves.
const TODAY: Record<string, number> = {
  sqli: 0.989,
  xss: 1,
  traversal: 1,
  command: 0.994,
  scanner: 0.95,
  lookup: 1,
  ssrf: 1,
  "unknown-parameter": 1,
  encoded: 1,
  "all attacks": 0.992,
  "all normal": 0.0001,
};
const MARGIN = { attack: 0.03, normal: 0.002 };
const GOAL = { recall: 0.95, falseAlarms: 0.01 };


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
    checkWritten(log, writeSite, "TARKIN_SITE_OUT");
  });


  describe("measured with the real module, clean protocol", () => {
    let rows: ClassRow[];
    beforeAll(() => {
      rows = measureByClass(coreWasm(), logs, ATTACK_CLASSES, NORMAL_CLASSES);
      console.log(`another web site, seeds ${SEEDS.join(", ")}: ${logs.map((l) => `${l.training.length} training, ${l.eval.length} eval lines`).join("; ")}\n${classTable(rows)}`);
    });

    it(`meets the issue's goal: at least ${pct(GOAL.recall)} of the attacks at most ${pct(GOAL.falseAlarms)} false alarms`, () => {
      const find = (cls: string) => rows.find((r) => r.cls === cls)!;
      expect(share(find("all attacks"))).toBeGreaterThanOrEqual(GOAL.recall);
      expect(share(find("all normal"))).toBeLessThanOrEqual(GOAL.falseAlarms);
    });

    it("holds today's numbers, within the margin", () => {
      expect(regressions(rows, TODAY, MARGIN)).toEqual([]);
    });
  });
});
