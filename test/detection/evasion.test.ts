// Issue 24's evasion and drift goals, measured: every class of cases.ts, generated from the dev sets
// in ../shared with a fixed seed, scored by the module built now (build/tarkin-core.wasm) trained per
// the clean protocol. Prints one table (the goals in a column); asserts what the module does today,
// with a margin, so that a regression fails while the goals not met yet show as NO in the table.
import { beforeAll, describe, expect, it } from "vitest";
import { isIPv6 } from "node:net";
import { dirname } from "node:path";
import { coreWasm, shared } from "../helpers.js";
import { apacheUnescape, formDecode, parseAccess, pathEncode, parseLogfmt, serialiseAccess, serialiseLogfmt, type BuiltClass } from "./cases.js";
import { formatMeasures, measureDetection, readLines, type DetectionRun } from "./measure.js";

const SEED = 1;
const FILES = ["data/web/access.log", "data/web/access.labels", "data/web/access_clean.log", "data/app/app.log", "data/app/app.labels", "data/app/app_clean.log"];
const present = FILES.map((f) => shared(f));
const DATA = present.every(Boolean) ? dirname(dirname(present[0]!)) : undefined;

// Flagged share per class, as the module of commit ea62e37 (before issue 24's rewrite) measured it
// with seed 1 and 1,000 lines a drift class. A class may fall MARGIN below its figure (attacks) or
// rise MARGIN above it (normal lines, never past a goal it meets): a change that costs more is a
// regression. Raise a figure when the module improves.
const TODAY: Record<string, number> = {
  "access/unmutated attacks": 0.993,
  "access/unknown parameter": 0.993,
  "access/spoofed prefix": 1.0,
  "access/IPv6 + 12 junk parameters": 1.0,
  "access/payload in user agent": 0.96,
  "access/payload in referer": 0.993,
  "access/payload in path": 0.997,
  "access/double encoding": 0.993,
  "access/overlong UTF-8": 0.993,
  "access/padding: benign parameters first": 0.997,
  "access/padding: long benign value first": 1.0,
  "access/unmutated normal": 0,
  "access/IPv6 clients": 0.002,
  "access/unseen browsers": 0.005,
  "access/accented names": 0.01,
  "access/apostrophe names": 0.012,
  "app/unmutated attacks": 0.993,
  "app/unknown key": 0.997,
  "app/spoofed client chain": 1.0,
  "app/IPv6 + 12 junk keys": 1.0,
  'app/payload quoted with \\" inside': 0.997,
  "app/payload in path": 1.0,
  "app/double encoding": 0.997,
  "app/padding: benign keys first": 0.993,
  "app/padding: long benign value first": 0.963,
  "app/unmutated normal": 0.001,
  "app/IPv6 clients": 0.001,
  "app/accented names": 0.002,
  "app/apostrophe names": 0.002,
};
const MARGIN = { attack: 0.03, normal: 0.01 };

const key = (c: { log: string; name: string }) => `${c.log}/${c.name}`;

describe.skipIf(!DATA)("evasion and drift classes (issue 24), on the shop's logs in ../shared", () => {
  let run: DetectionRun;
  const built = (log: string, name: string): BuiltClass => run.classes.find((c) => c.log === log && c.name === name)!;

  beforeAll(() => {
    run = measureDetection(coreWasm(), DATA!, SEED);
    console.log(`evasion and drift (issue 24), seed ${SEED}, clean protocol:\n${formatMeasures(run.measures)}`);
  });

  it("the parsers write every line of both logs back as it was", () => {
    for (const f of ["web/access.log", "web/access_clean.log"]) for (const l of readLines(`${DATA}/${f}`)) expect(serialiseAccess(parseAccess(l))).toBe(l);
    for (const f of ["app/app.log", "app/app_clean.log"]) for (const l of readLines(`${DATA}/${f}`)) expect(serialiseLogfmt(parseLogfmt(l))).toBe(l);
  });

  it("every class's lines are well-formed lines of their log, labelled by the class's kind", () => {
    expect(run.classes.map(key)).toEqual(Object.keys(TODAY));
    for (const c of run.classes) {
      const parse = c.log === "access" ? (l: string) => serialiseAccess(parseAccess(l)) : (l: string) => serialiseLogfmt(parseLogfmt(l));
      expect(c.lines.length, key(c)).toBe(c.kind === "attack" ? (c.log === "access" ? 300 : 299) : 1000);
      expect(c.labels, key(c)).toEqual(c.lines.map(() => c.kind === "attack"));
      for (const l of c.lines) {
        expect(l, key(c)).not.toMatch(/[\r\n]/);
        expect(parse(l), key(c)).toBe(l);
      }
    }
    // Each attack's payload is located but app.log's login=id, a command that reads as a name.
    expect(run.access.unlocated).toEqual([]);
    expect(run.app.unlocated.map((l) => l.match(/login=\S+/)?.[0])).toEqual(["login=id"]);
  });

  it("moved payloads leave their parameter for one training never had, the user agent, the referer or the path", () => {
    const c = run.access;
    const payloads = c.attacks.map((l, i) => l.query![c.payloadAt[i]]);
    const queries = (name: string) => built("access", name).lines.map((l) => parseAccess(l));
    queries("unknown parameter").forEach((l, i) => {
      const unknown = l.query!.filter((p) => !c.trainingNames.has(p.name));
      expect(unknown.map((p) => p.value)).toEqual([payloads[i].value]);
    });
    for (const name of ["payload in user agent", "payload in referer", "payload in path"]) {
      queries(name).forEach((l, i) => {
        const sent = formDecode(payloads[i].value!);
        expect(l.query!.map((p) => p.value), name).not.toContain(payloads[i].value);
        if (name === "payload in path") expect(l.path).toContain(pathEncode(sent));
        else if (name === "payload in user agent") expect(apacheUnescape(l.userAgent)).toContain(sent);
        else expect([sent, `${l.path}?${payloads[i].name}=${payloads[i].value}`].some((v) => apacheUnescape(l.referer).endsWith(v))).toBe(true);
      });
    }
    // Decoded twice, the value is the payload; decoded once, it is still encoded (%2527 for ').
    queries("double encoding").forEach((l, i) => {
      const value = l.query![c.payloadAt[i]].value!;
      expect(formDecode(formDecode(value))).toBe(formDecode(payloads[i].value!));
      if (/[^A-Za-z0-9\-._~]/.test(formDecode(payloads[i].value!))) expect(value).toMatch(/%25[0-9A-F]{2}/);
    });
    // Overlong: every '.', '/' and '\\' of the payload sent as two bytes no UTF-8 decoder accepts.
    queries("overlong UTF-8").forEach((l, i) => {
      const value = l.query![c.payloadAt[i]].value!;
      expect(value).not.toMatch(/[./\\]|%2E|%2F|%5C/i);
      if (/[./\\]/.test(formDecode(payloads[i].value!))) expect(value).toMatch(/%C0%A[EF]|%C1%9C/);
    });
    queries("IPv6 + 12 junk parameters").forEach((l) => {
      expect(isIPv6(l.client), l.client).toBe(true);
      expect(l.query!.filter((p) => !c.trainingNames.has(p.name))).toHaveLength(12);
    });
    // The app log's, read back through its logfmt escapes.
    const a = run.app;
    const sent = a.attacks.map((l, i) => l.items[a.payloadAt[i]].value);
    const pairs = (name: string) => built("app", name).lines.map((l) => parseLogfmt(l).items.filter((it) => it.key !== null));
    pairs("unknown key").forEach((items, i) => expect(items.filter((it) => !a.trainingKeys.has(it.key!)).map((it) => it.value)).toEqual([sent[i]]));
    pairs('payload quoted with \\" inside').forEach((items, i) => expect(items.some((it) => it.quoted && it.value.endsWith(` "${sent[i]}"`))).toBe(true));
    pairs("payload in path").forEach((items, i) => expect(items.find((it) => it.key === "path")!.value.endsWith(`/${pathEncode(sent[i])}`)).toBe(true));
  });

  it("drift: unseen browsers differ from every training user agent, names carry accents or apostrophes", () => {
    const agents = built("access", "unseen browsers").lines.map((l) => parseAccess(l).userAgent);
    for (const a of agents) expect(run.access.trainingAgents.has(a), a).toBe(false);
    expect(new Set(agents).size).toBeGreaterThan(900); // generated from parts, hardly a repeat
    expect(agents.some((a) => /bot\/[\d.]+; \+https?:\/\//i.test(a))).toBe(true);
    const decoded = (l: string) => (parseAccess(l).query ?? []).map((p) => formDecode(p.value ?? "")).join(" ");
    for (const l of built("access", "accented names").lines) expect(decoded(l)).toMatch(/[^\x00-\x7f]/);
    for (const l of built("access", "apostrophe names").lines) expect(decoded(l)).toMatch(/\w'|'\w/);
    for (const l of built("app", "accented names").lines) expect(l).toMatch(/="[^"]*[^\x00-\x7f][^"]*"/);
    for (const l of built("app", "apostrophe names").lines) expect(l).toMatch(/="[^"]*(\w'|'\w)[^"]*"/);
    for (const l of built("access", "IPv6 clients").lines) expect(isIPv6(parseAccess(l).client), l).toBe(true);
    for (const l of built("app", "IPv6 clients").lines) expect(isIPv6(parseLogfmt(l).items.find((it) => it.key === "client")!.value), l).toBe(true);
  });

  it("holds today's numbers, within the margin", () => {
    const regressions: string[] = [];
    for (const m of run.measures) {
      const today = TODAY[key(m)];
      const goal = m.goal && "maxFlagged" in m.goal && today <= m.goal.maxFlagged ? m.goal.maxFlagged : 1;
      const bound = m.kind === "attack" ? today - MARGIN.attack : Math.min(today + MARGIN.normal, goal);
      const ok = m.kind === "attack" ? m.rate >= bound : m.rate <= bound;
      if (!ok) regressions.push(`${key(m)}: ${(100 * m.rate).toFixed(1)}% flagged, ${m.kind === "attack" ? "floor" : "ceiling"} ${(100 * bound).toFixed(1)}%`);
    }
    expect(regressions).toEqual([]);
  });
});
