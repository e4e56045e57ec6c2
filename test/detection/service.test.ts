// Issue 24, the final judgement's "application's logfmt log": detection on another application's
// log (service.ts, seeded, no ../shared needed), an orders service writing Go's slog in logfmt, with
// routine warnings and errors (timeouts, retries, failed calls) that read negative and are no attack.
// For each of three seeds the real module trains on the clean day (clean protocol) and scores the
// next day with the attacks mixed in, in order, as a shipper runs it. Prints each class's share
// beside the issue's goal for an application's log (>= 97% of the attacks at <= 0.5% false alarms),
// and asserts today's figures as floors and ceilings, with a margin: the false alarms meet the goal,
// the recall does not yet (values far longer than their field's stay under fear 0.5);
// the false alarms are the users. own failed logins, flagged as sshd.s "Failed password" is.
//
// To write one seed's files for the CLI (service_clean.log, service.log, service.labels):
//   TARKIN_SERVICE_OUT=/tmp/svc npx vitest run --project fast test/detection/service.test.ts
//   node dist/tarkin.js eval /tmp/svc/service.log --labels /tmp/svc/service.labels --train /tmp/svc/service_clean.log
import { beforeAll, describe, expect, it } from "vitest";
import { coreWasm } from "../helpers.js";
import { checkWritten, classTable, measureByClass, pct, regressions, share, type ClassRow } from "./labelled.js";
import { ATTACK_CLASSES, NORMAL_CLASSES, asJsonLines, serviceLog, writeService, type ServiceLog } from "./service.js";

const SEEDS = [1, 2, 3];

// Flagged share per class, pooled over the seeds, as the module of this commit measured it: recall
// for the attacks, false alarms for the normal traffic. A class may fall below (attacks) or rise
// above (normal) its figure by MARGIN or one line, whichever is more. Raise a figure when detection
// improves.
const TODAY: Record<string, number> = {
  sqli: 1,
  xss: 1,
  traversal: 1,
  command: 0.975,
  scanner: 1,
  lookup: 1,
  ssrf: 1,
  "credential-stuffing": 1,
  "long-value": 0.933,
  "all attacks": 0.990,
  "all normal": 0.0038,
};
// The same for the JSON lines (asJsonLines).
const TODAY_JSON: Record<string, number> = {
  sqli: 1,
  xss: 1,
  traversal: 1,
  command: 1,
  scanner: 1,
  lookup: 1,
  ssrf: 1,
  "credential-stuffing": 1,
  "long-value": 0.942,
  "all attacks": 0.994,
  "all normal": 0.0037,
};
const MARGIN = { attack: 0.03, normal: 0.001 };
const GOAL = { recall: 0.97, falseAlarms: 0.005 };


// slog's TextHandler: time, level, msg, then key=value, a value quoted when it needs it.
const SLOG = /^time=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+01:00 level=(DEBUG|INFO|WARN|ERROR) msg=("(?:[^"\\]|\\.)*"|\S+)( [a-z_]+=("(?:[^"\\]|\\.)*"|[^\s"=]*))*$/;

describe("another application's logfmt log (issue 24)", () => {
  const logs = SEEDS.map((seed) => serviceLog(seed));
  const [log] = logs;

  it("is seeded: the same seed gives the same log, another seed another", () => {
    const again = serviceLog(SEEDS[0]);
    expect(again.training.map((x) => x.line)).toEqual(log.training.map((x) => x.line));
    expect(again.eval.map((x) => x.line + x.label)).toEqual(log.eval.map((x) => x.line + x.label));
    expect(logs[1].eval.map((x) => x.line)).not.toEqual(log.eval.map((x) => x.line));
  });

  it("is slog's logfmt; training clean; every class in the eval day; warnings and errors a routine share", () => {
    for (const x of [...log.training, ...log.eval]) expect(x.line, x.line.slice(0, 300)).toMatch(SLOG);
    expect(log.training.every((x) => x.label === "0")).toBe(true);
    for (const c of ATTACK_CLASSES) expect(log.eval.filter((x) => x.label === c).length, c).toBeGreaterThanOrEqual(30);
    for (const c of NORMAL_CLASSES) expect(log.eval.filter((x) => x.cls === c).length, c).toBeGreaterThanOrEqual(30);
    const attacks = log.eval.filter((x) => x.label !== "0").length / log.eval.length;
    expect(attacks).toBeGreaterThan(0.02);
    expect(attacks).toBeLessThan(0.1);
    // Routine failures, in training as on the eval day: what must not alarm by itself.
    const failing = log.training.filter((x) => / level=(WARN|ERROR) /.test(x.line)).length / log.training.length;
    expect(failing).toBeGreaterThan(0.1);
    expect(log.training.filter((x) => /failed|timeout|exceeded|refused|Unavailable/.test(x.line)).length).toBeGreaterThan(300);
  });

  it("writes the clean log, the eval log and its labels for tarkin eval", () => {
    checkWritten(log, writeService, "TARKIN_SERVICE_OUT");
  });


  describe("measured with the real module, clean protocol", () => {
    let rows: ClassRow[];
    beforeAll(() => {
      rows = measureByClass(coreWasm(), logs, ATTACK_CLASSES, NORMAL_CLASSES);
      console.log(`another application's logfmt log, seeds ${SEEDS.join(", ")}: ${logs.map((l) => `${l.training.length} training, ${l.eval.length} eval lines`).join("; ")}\n${classTable(rows)}`);
    });

    it(`meets the issue's goals: at least ${pct(GOAL.recall)} of the attacks found, at most ${pct(GOAL.falseAlarms)} false alarms`, () => {
      const find = (cls: string) => rows.find((r) => r.cls === cls)!;
      console.log(`all attacks: ${pct(share(find("all attacks")))} found (goal ${pct(GOAL.recall)}); all normal: ${pct(share(find("all normal")))} flagged (goal at most ${pct(GOAL.falseAlarms)})`);
      expect(share(find("all attacks"))).toBeGreaterThanOrEqual(GOAL.recall);
      expect(share(find("all normal"))).toBeLessThanOrEqual(GOAL.falseAlarms);
    });

    it("holds today's numbers, within the margin", () => {
      expect(regressions(rows, TODAY, MARGIN)).toEqual([]);
    });
  });

  // The same days as slog's JSONHandler writes them: "key": value members name their values as
  // key=value does, and the sentiment reads the string values (a JSON object has no spaces).
  describe("as JSON lines, measured with the real module, clean protocol", () => {
    let rows: ClassRow[];
    beforeAll(() => {
      rows = measureByClass(coreWasm(), logs.map(asJsonLines), ATTACK_CLASSES, NORMAL_CLASSES);
      console.log(`the same service as JSON lines, seeds ${SEEDS.join(", ")}\n${classTable(rows)}`);
    });

    it(`meets the issue's goals: at least ${pct(GOAL.recall)} of the attacks found, at most ${pct(GOAL.falseAlarms)} false alarms`, () => {
      const find = (cls: string) => rows.find((r) => r.cls === cls)!;
      console.log(`as JSON lines, all attacks: ${pct(share(find("all attacks")))} found (goal ${pct(GOAL.recall)}); all normal: ${pct(share(find("all normal")))} flagged`);
      expect(share(find("all attacks"))).toBeGreaterThanOrEqual(GOAL.recall);
      expect(share(find("all normal"))).toBeLessThanOrEqual(GOAL.falseAlarms);
    });

    it("holds today's numbers, within the margin", () => {
      expect(regressions(rows, TODAY_JSON, MARGIN)).toEqual([]);
    });
  });
});
