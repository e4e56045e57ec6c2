// tarkin report end to end: the bundled CLI writes the page from the project's sample logs with
// hostile lines mixed in; the page must be self-contained, escape every piece of log text, group
// the alerts by kind, order its charts by what drives the decision, and render in a real browser
// (Debian's Chromium, driven by playwright-core) without errors or network requests. Also:
// OpenSSH's flood of break-in alerts as one kind, drop-mode modules, unreadable records, bounded memory.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";
import { ROOT, shared } from "../helpers.js";
import { html } from "../../host/core/report/report-html.js";
import { maskVariables } from "../../host/core/report/alert-groups.js";

const CLI = resolve(ROOT, "dist/tarkin.js");
const CHROMIUM = "/usr/bin/chromium";
const SCREENSHOT = resolve(ROOT, "build/report.png");
// Default mode decides on fear, made of the field surprise and the sentiment: those first, the character model last.
const CHARTS = ["chart-fear", "chart-surprise", "chart-sentiment", "chart-timeline", "chart-letters"];
const SECTIONS = ["Alerts by kind", "Scores", "Surprise along the run", "Letter space"];
// tarkin mode's surprise is the character model: the letter space first.
const TARKIN_CHARTS = ["chart-letters", "chart-surprise", "chart-sentiment", "chart-fear", "chart-timeline"];

// Log lines an attacker controls: markup, quotes, an attribute break-out, a link to elsewhere,
// bidirectional override and escape sequences. Negative and unusual enough to be top anomalies.
const HOSTILE = [
  `ERROR terrible attack failed <script>alert("pwned")</script> 'single' "double" & <img src=x onerror=alert(1)> evil \u202egnp.exe\x1b[31m red`,
  `FATAL horrible breach </td></table></div><a href="https://evil.example/x.js">click</a> kill <link rel=stylesheet href=http://evil.example/s.css> \u200b`,
  // In a format the model was trained on: its fields are known, the user's shape is not.
  `Failed password for invalid user <script>x</script> from 10.0.0.1 port 22 ssh2`,
];

let dir: string;

function run(args: string[], options: { input?: string; heap?: number } = {}) {
  const node = options.heap ? [`--max-old-space-size=${options.heap}`] : [];
  const r = spawnSync(process.execPath, [...node, CLI, ...args], { cwd: dir, input: options.input ?? "", encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function ok<R extends { status: number | null; stderr: string }>(r: R): R {
  expect(r.status, `stderr: ${r.stderr}`).toBe(0);
  return r;
}

function fails(r: { status: number | null; stderr: string }, message: string) {
  expect(r.status).not.toBe(0);
  expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
  expect(r.stderr).toContain(message);
}

/** The kinds of alert the page lists: count, reason and template as text, the example's message as the page has it. */
function kindsOf(html: string) {
  const table = /<table id="alert-kinds">([\s\S]*?)<\/table>/.exec(html);
  expect(table).not.toBeNull();
  const text = (s: string) => s.replace(/<[^>]*>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
  const row = /<tr><td class="num">\d+<\/td><td class="num"><b>([\d,]+)<\/b>[\s\S]*?<span class="chip reason-chip">(.*?)<\/span> <code class="template">(.*?)<\/code>[\s\S]*?<div class="msg ">(.*?)<\/div>/g;
  return [...table![1].matchAll(row)].map((m) => ({ count: Number(m[1].replace(/,/g, "")), reason: text(m[2]), template: text(m[3]), example: m[4] }));
}

/** The ids of a page's charts, and its section headings, in order. */
function chartsOf(html: string): string[] {
  return [...html.matchAll(/<svg id="([^"]+)"/g)].map((m) => m[1]);
}

function sectionsOf(html: string): string[] {
  return [...html.matchAll(/<h2>([^<]+)<\/h2>/g)].map((m) => m[1]);
}

/** The records check writes for a log, parsed. */
function checked(file: string): Record<string, unknown>[] {
  return run(["check", file])
    .stdout.trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** The numbers of a check or report summary line. */
function counts(stderr: string) {
  const m = /(\d+) records in, (?:\d+ out, )?(\d+) infrequent, (\d+) anomalous, (\d+) errors/.exec(stderr);
  expect(m, stderr).not.toBeNull();
  return { records: Number(m![1]), infrequent: Number(m![2]), anomalous: Number(m![3]), errors: Number(m![4]) };
}

let page: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "tarkin-report-"));
  const sample = ok(run(["sample", "--lines", "2000"])).stdout.trimEnd().split("\n");
  expect(sample).toHaveLength(2000);
  sample.splice(700, 0, HOSTILE[0]);
  sample.splice(1400, 0, HOSTILE[1]);
  sample.splice(1700, 0, HOSTILE[2]);
  writeFileSync(join(dir, "sample.log"), sample.join("\n") + "\n");
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("tarkin report", () => {
  it("writes one page from the sample logs, counting as check does", () => {
    const r = ok(run(["report", "sample.log", "-o", "report.html"]));
    expect(r.stderr).toMatch(/^tarkin report: .* -> report\.html \(\d+ KiB\)\n$/);
    const check = ok(run(["check", "sample.log"]));
    expect(counts(r.stderr)).toEqual(counts(check.stderr));
    page = readFileSync(join(dir, "report.html"), "utf8");
    expect(page.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(page.length).toBeLessThan(1 << 20);
  });

  it("is self-contained: nothing to load, no script", () => {
    // Every tag of the page (escaped log text holds no "<"): none refers to anything.
    const tags = page.match(/<[a-zA-Z][^>]*>/g)!;
    expect(tags.length).toBeGreaterThan(1000);
    expect(tags.filter((t) => /\b(?:src|href|xlink:href|srcset|action|data)\s*=/i.test(t))).toEqual([]);
    expect(tags.filter((t) => /^<(?:link|script|img|iframe|object|embed|image|use|foreignObject|audio|video|source|base)\b/i.test(t))).toEqual([]);
    // No address in any tag or style (a log line's text may hold one, escaped, as the sample's bots do).
    const style = page.match(/<style>[\s\S]*?<\/style>/g)!.join("");
    expect(/https?:\/\/(?!evil\.example)/.exec(tags.join("\n") + style)).toBeNull();
    expect(/@import|url\s*\(/i.exec(page)).toBeNull();
    expect(page).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'`);
  });

  it("has an SVG per chart, with a title, in the order of what drives the decision", () => {
    for (const id of CHARTS) {
      expect(page).toMatch(new RegExp(`<svg id="${id}"[^>]*role="img"[^>]*><title id="${id}-title">[^<]+</title><desc`));
    }
    expect(chartsOf(page)).toEqual(CHARTS);
    expect(sectionsOf(page)).toEqual(SECTIONS);
    // In tarkin mode the character model is the surprise: its letter space comes first.
    ok(run(["report", "sample.log", "--surprise", "tarkin", "-o", "tarkin.html"]));
    const tarkin = readFileSync(join(dir, "tarkin.html"), "utf8");
    expect(chartsOf(tarkin)).toEqual(TARKIN_CHARTS);
    expect(sectionsOf(tarkin)).toEqual(["Alerts by kind", "Letter space", "Scores", "Surprise along the run"]);
  });

  it("groups the alerts by kind: reason and template, count, first and last seen, an example", () => {
    const alerts = checked("sample.log").filter((r) => r.tarkin_anomaly === true && typeof r.tarkin_error !== "string");
    expect(alerts.length).toBeGreaterThan(10);
    const kinds = kindsOf(page);
    const total = /The (\d+) kinds of highest fear, of (\d+)\./.exec(page);
    expect(total).not.toBeNull();
    // The sample repeats its attacks and failures: fewer kinds than alerts, all of them listed.
    expect(Number(total![2])).toBeLessThan(alerts.length);
    expect(Number(total![2])).toBeLessThanOrEqual(25);
    expect(kinds).toHaveLength(Number(total![2]));
    expect(kinds.reduce((n, k) => n + k.count, 0)).toBe(alerts.length);
    // Every kind's example is an alert with the kind's evidence, and its reason unless the field was generalised.
    for (const k of kinds) {
      const example = alerts.find((r) => html(String(r.log)) === k.example);
      expect(example, k.example).toBeDefined();
      const at = k.reason.lastIndexOf(": ");
      expect(String(example!.tarkin_reason).endsWith(k.reason.slice(at)), `${String(example!.tarkin_reason)} as ${k.reason}`).toBe(true);
      if (!k.reason.slice(0, at).includes("<*>")) expect(maskVariables(String(example!.tarkin_reason))).toBe(k.reason);
    }
    // The sample's invalid-user lines from many hosts, users and ports are one kind, counted.
    const invalid = alerts.filter((r) => r.tarkin_reason === "security: Invalid" && /sshd\[\d+\]: Invalid user \S+ from [\d.]+ port \d+$/.test(String(r.log)));
    expect(invalid.length).toBeGreaterThan(1);
    expect(kinds.filter((k) => k.reason === "security: Invalid")).toEqual([
      expect.objectContaining({ count: invalid.length, template: "<TIME> <*> sshd[<NUM>]: Invalid user <*> from <IP> port <NUM>" }),
    ]);
    // First and last seen, with the line's own time.
    const time = (r: Record<string, unknown>) => String(r.log).slice(0, 15);
    const row = /<tr>(?:(?!<tr>)[\s\S])*?<span class="chip reason-chip">security: Invalid<\/span>/.exec(page)![0];
    expect(row).toContain(`<small class="time">${time(invalid[0])}</small><br><span class="why">last</span>`);
    expect(row).toContain(`<small class="time">${time(invalid[invalid.length - 1])}</small></td>`);
    // Highest fear first: the kinds' fears never rise down the table.
    const fears = [...page.matchAll(/<td class="num"><b>(0\.\d{4})<\/b><br><small>surprise/g)].map((m) => Number(m[1]));
    expect(fears).toHaveLength(kinds.length);
    expect(fears).toEqual([...fears].sort((a, b) => b - a));
  });

  it("makes OpenSSH's flood of break-in alerts one kind, with its count", () => {
    const log = shared("data/loghub/OpenSSH_2k.log");
    if (!log) return;
    ok(run(["report", log, "-o", "ssh.html"]));
    const ssh = readFileSync(join(dir, "ssh.html"), "utf8");
    const alerts = checked(log).filter((r) => r.tarkin_anomaly === true);
    // The break-in alerts: near-identical lines (one host, other pids, times and addresses), one reason.
    const breakInLines = alerts.filter((r) => String(r.log).endsWith("POSSIBLE BREAK-IN ATTEMPT!"));
    const reasons = new Map<string, number>();
    for (const r of breakInLines) reasons.set(String(r.tarkin_reason), (reasons.get(String(r.tarkin_reason)) ?? 0) + 1);
    const [reason] = [...reasons].sort((x, y) => y[1] - x[1])[0];
    const same = breakInLines.filter((r) => r.tarkin_reason === reason);
    expect(same.length).toBeGreaterThan(25);
    expect(new Set(same.map((r) => String(r.log).slice(16))).size).toBeGreaterThan(1);
    const kinds = kindsOf(ssh);
    const breakIn = kinds.filter((k) => k.template.endsWith("POSSIBLE BREAK-IN ATTEMPT!") && k.reason === reason);
    expect(breakIn).toEqual([expect.objectContaining({ count: same.length, template: "<TIME> LabSZ sshd[<NUM>]: reverse mapping checking getaddrinfo for <*> [<IP>] failed - POSSIBLE BREAK-IN ATTEMPT!" })]);
    // The alerts read as a few kinds, every one counted.
    expect(kinds.length).toBeLessThan(40);
    expect(kinds.reduce((n, k) => n + k.count, 0)).toBe(alerts.length);
  });

  it("keeps at most 1,000 kinds and says how many alerts it counted as other", () => {
    // 1,200 alerts of a security word, each with words of its own: 1,200 kinds.
    let seed = 1;
    const word = () => Array.from({ length: 6 }, () => String.fromCharCode(97 + ((seed = (seed * 16807) % 2147483647) % 26))).join("");
    const lines = Array.from({ length: 1200 }, (_, i) => `Unauthorized access denied intrusion breach ${Array.from({ length: 3 + (i % 4) }, word).join(" ")}`);
    writeFileSync(join(dir, "kinds.log"), lines.join("\n") + "\n");
    const r = run(["report", "kinds.log", "--max-uncovered", "100%", "-o", "kinds.html"]);
    expect(counts(ok(r).stderr).anomalous).toBe(1200);
    const kinds = readFileSync(join(dir, "kinds.html"), "utf8");
    expect(kinds).toMatch(/<p class="note" id="alerts-other">Only the first 1,000 kinds are kept: 200 alerts of further kinds are counted here as other \(first <small class="line">line 1,001<\/small>, last <small class="line">line 1,200<\/small>, highest fear 0\.\d{4}\)\.<\/p>/);
    expect(kinds).toContain("<caption>The 25 kinds of highest fear, of 1,000 kept.</caption>");
    expect(kindsOf(kinds)).toHaveLength(25);
  });

  it("says what was checked, with what, and the decision", () => {
    // What the header says was checked, and with what.
    expect(page).toContain("sample.log");
    expect(page).toContain("2,003 records");
    expect(page).toContain("the embedded default model");
    expect(page).toMatch(/trained on sample\.log \(lines, 20,000 messages\)/);
    expect(page).toContain("gate spreads 0");
    // The thresholds the decision uses, marked on the charts.
    expect(page).toMatch(/gate at the end of the run: 0\.\d{4}/);
    expect(page).toMatch(/every anomaly is (?:below 0 \(compound &lt; 0\)|at or below 0 \(compound ≤ 0\))/);
    expect(page).toMatch(/(?:anomalous from fear|lowest fear of an anomaly:) 0\.\d{4}/);
    expect(page).toMatch(/<dt>Decision<\/dt><dd>Every one of the \d+ scored anomalies /);
    // The rule itself, in the module's words.
    expect(page).toMatch(/<dt>Rule<\/dt><dd>fear = max\(surprise, n \/ \(n \+ 0\.2\)\).* anomalous when fear &gt;= 0\.5/);
    // The gate followed from the records agrees with the module's verdicts.
    expect(page.includes("disagreed with the module")).toBe(false);
  });

  it("escapes hostile log text and shows what would hide", () => {
    // Both hostile lines are examples of their kinds, escaped.
    expect(page).toContain("&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; &#39;single&#39; &quot;double&quot; &amp; &lt;img src=x onerror=alert(1)&gt;");
    expect(page).toContain("&lt;/td&gt;&lt;/table&gt;&lt;/div&gt;&lt;a href=&quot;https://evil.example/x.js&quot;&gt;click&lt;/a&gt;");
    expect(page.includes("<script>alert")).toBe(false);
    expect(page.includes("<img src=x")).toBe(false);
    expect(page.includes("</td></table></div><a")).toBe(false);
    expect(page).toContain(`<span class="ctl" title="U+202E">\\u202e</span>gnp.exe<span class="ctl" title="U+001B">\\e</span>[31m`);
    expect(page).toContain(`<span class="ctl" title="U+200B">\\u200b</span>`);
    expect(/[\u202a-\u202e\u2066-\u2069\u200b\x1b]/.exec(page)).toBeNull();
    // The explanation: the field whose shape training never saw (escaped), the words' valences;
    // for a line of a log the model does not know, why it has no field surprise.
    expect(page).toMatch(/rare field shapes<\/span><span><span class="chip unseen"[^>]*><b>after user<\/b> \+\d+\.\d <small><b>html\/script syntax<\/b>, (?:<b>[^<]*<\/b>[^<]*, )*<code>\^\^&lt;<\/code> 0\/\d/);
    expect(page).toMatch(/<span class="why">fields<\/span><span>\d+ of \d+ known to the model: under half, so not covered/);
    expect(page).toMatch(/<span class="chip word neg"[^>]*>terrible <b>−2\.1<\/b>/);
  });

  it("renders in headless Chromium: every chart drawn, no console error, no request", async () => {
    if (!existsSync(CHROMIUM)) {
      console.log(`[notice] ${CHROMIUM} is absent: skipping the browser check of the report (apt-get install chromium)`);
      return;
    }
    const userDataDir = mkdtempSync(join(tmpdir(), "tarkin-chromium-"));
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
      viewport: { width: 1280, height: 1000 },
    });
    try {
      const url = "file://" + join(dir, "report.html");
      const requests: string[] = [];
      const problems: string[] = [];
      context.on("request", (request) => {
        if (request.url() !== url) requests.push(request.url());
      });
      const tab = await context.newPage();
      tab.on("console", (message) => {
        if (message.type() === "error" || message.type() === "warning") problems.push(`${message.type()}: ${message.text()}`);
      });
      tab.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
      tab.on("dialog", (dialog) => {
        problems.push(`dialog: ${dialog.message()}`);
        void dialog.dismiss();
      });
      await tab.goto(url, { waitUntil: "load" });
      const charts = await tab.$$eval("svg", (svgs) =>
        svgs.map((svg) => {
          const box = svg.getBoundingClientRect();
          const drawn = [...svg.querySelectorAll("rect, path, circle, line")].filter((e) => {
            const b = (e as SVGGraphicsElement).getBBox();
            return b.width > 0 || b.height > 0;
          });
          return { id: svg.id, width: box.width, height: box.height, drawn: drawn.length, texts: svg.querySelectorAll("text").length };
        }),
      );
      expect(charts.map((c) => c.id)).toEqual(CHARTS);
      for (const c of charts) {
        expect(c.width, c.id).toBeGreaterThan(600);
        expect(c.height, c.id).toBeGreaterThan(200);
        expect(c.drawn, c.id).toBeGreaterThan(20);
        expect(c.texts, c.id).toBeGreaterThan(5);
      }
      // The page opens with the alerts by kind, then the charts in the order of what drives the decision.
      expect(await tab.locator("main > section > h2").allInnerTexts()).toEqual(SECTIONS);
      expect(await tab.locator("#scores h3").allInnerTexts()).toEqual(["Fear", "Surprise", "Sentiment"]);
      const rows = tab.locator("#alert-kinds tbody tr");
      expect(await rows.count()).toBe(kindsOf(page).length);
      expect(await rows.count()).toBeGreaterThan(10);
      const first = rows.first();
      expect(await first.locator(".reason-chip").isVisible()).toBe(true);
      expect(await first.locator("code.template").innerText()).toMatch(/<(?:TIME|IP|NUM|STR|HEX|\*)>/);
      expect(await first.locator(".msg").first().isVisible()).toBe(true);
      const top = (selector: string) => tab.locator(selector).first().evaluate((e) => e.getBoundingClientRect().top);
      expect(await top("#alert-kinds")).toBeLessThan(await top("svg.chart"));
      expect(await top("#chart-fear")).toBeLessThan(await top("#chart-letters"));
      expect(await tab.locator("script").count()).toBe(0);
      expect(await tab.locator("#alert-kinds").innerText()).toContain(`<script>alert("pwned")</script>`);
      mkdirSync(resolve(ROOT, "build"), { recursive: true });
      await tab.screenshot({ path: SCREENSHOT, fullPage: true });
      expect(readFileSync(SCREENSHOT).length).toBeGreaterThan(50_000);
      expect(problems).toEqual([]);
      expect(requests).toEqual([]);
    } finally {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    }
  });

  it("reads every record's scores from a drop-mode module, with the same decisions", () => {
    ok(run(["pack", "--model", resolve(ROOT, "models/default.json"), "--mode", "drop", "-o", "drop.wasm"]));
    const r = ok(run(["report", "sample.log", "--wasm", "drop.wasm", "--top", "5", "-o", "drop.html"]));
    const check = ok(run(["check", "sample.log", "--wasm", "drop.wasm"]));
    expect(counts(r.stderr)).toEqual(counts(check.stderr));
    const drop = readFileSync(join(dir, "drop.html"), "utf8");
    expect(drop).toContain("mode drop (run in annotate mode here to see every record's scores; the decisions are the same)");
    expect(drop).toContain("<b>2,003</b><span>scored</span>");
    expect(kindsOf(drop)).toHaveLength(5);
  });

  it("lists unreadable records escaped, and reads NDJSON and CSV", () => {
    const ndjson = [
      JSON.stringify({ log: "ok fine" }),
      JSON.stringify({ log: "all good" }),
      `{"log": "broken <script>alert('x')</script>`,
      JSON.stringify({ msg: 5 }),
      JSON.stringify({ "@timestamp": "2026-01-05T10:00:00.123Z", event: { original: "ERROR horrible failure <b>bold</b> attack killed {{{{" } }),
    ].join("\n");
    writeFileSync(join(dir, "r.ndjson"), ndjson + "\n");
    const r = ok(run(["report", "--format", "ndjson", "--field", "log", "event.original", "--max-errors", "2", "-o", "n.html", "r.ndjson"]));
    expect(counts(r.stderr)).toMatchObject({ records: 5, errors: 2 });
    const n = readFileSync(join(dir, "n.html"), "utf8");
    expect(n).toContain(`<table id="unreadable">`);
    expect(n).toContain("{&quot;log&quot;: &quot;broken &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
    expect(n).toContain("&lt;b&gt;bold&lt;/b&gt;");
    expect(n).not.toMatch(/<script\b|<b>bold/);
    // The alert's time, from the record's own field when its message has none.
    expect(n).toContain(`<small class="line">line 5</small><br><small class="time">2026-01-05T10:00:00.123Z</small>`);
    writeFileSync(join(dir, "r.csv"), `time,host,message\n1,a,all fine\n2,b,good\n3,c,ERROR horrible failure <i>x</i> {{{{\n`);
    ok(run(["report", "--format", "csv", "--field", "message", "-o", "c.html", "r.csv"]));
    const c = readFileSync(join(dir, "c.html"), "utf8");
    expect(c).toContain("&lt;i&gt;x&lt;/i&gt;");
    expect(c).toContain("row 4");
  });

  it("fails as the other commands do on bad options", () => {
    fails(run(["report", "sample.log"]), "required option '-o, --output <report.html>' not specified");
    fails(run(["report", "sample.log", "--top", "x", "-o", "x.html"]), "--top must be a whole number");
    fails(run(["report", "missing.log", "-o", "x.html"]), "cannot read missing.log: no such file");
    fails(run(["report", "sample.log", "-o", "no/such/dir/x.html"]), "cannot write no/such/dir/x.html");
    fails(run(["report", "sample.log", "--wasm", "drop.wasm", "--surprise", "tarkin", "-o", "x.html"]), "settings are packed into drop.wasm");
    expect(existsSync(join(dir, "x.html"))).toBe(false);
  });

  it("streams: 100,000 records under a 32 MB JavaScript heap", () => {
    ok(run(["sample", "--lines", "100000", "--seed", "5", "-o", "big.log"]));
    const r = ok(run(["report", "big.log", "-o", "big.html"], { heap: 32 }));
    expect(counts(r.stderr).records).toBe(100_000);
    const big = readFileSync(join(dir, "big.html"), "utf8");
    expect(big).toContain("100,000 records");
    expect(big.length).toBeLessThan(1 << 20);
  });
});
