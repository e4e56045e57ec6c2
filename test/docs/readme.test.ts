// The README against the code it describes: the quick start's records and summary line against a run
// of what `npm start` runs, the decision rule against explain's, the output fields against the
// module's list, the module's size against the budget and size the README states, and every link
// between the documents (README.md, docs/*.md): each #anchor a heading as GitHub names it, each
// relative file there.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { marked, type Token, type Tokens } from "marked";
import GithubSlugger from "github-slugger";
import { OUTPUT_FIELDS } from "../../host/core/module/layouts.js";
import { ROOT } from "../helpers.js";

const CLI = resolve(ROOT, "dist/tarkin.js");
const README = resolve(ROOT, "README.md");
const DOCUMENTS = [README, ...readdirSync(resolve(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => resolve(ROOT, "docs", f))];

const work = mkdtempSync(join(tmpdir(), "tarkin-readme-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function tarkin(args: string[]): { stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: work, encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`tarkin ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return { stdout: r.stdout, stderr: r.stderr };
}

function tokensOf(file: string): Token[] {
  return marked.lexer(readFileSync(file, "utf8"));
}

/** A heading's text as GitHub renders it (no markup), from its inline tokens. */
function plainText(tokens: Token[] | undefined): string {
  return (tokens ?? []).map((t) => ("tokens" in t && t.tokens ? plainText(t.tokens) : "text" in t ? String(t.text) : "")).join("");
}

/** The top-level tokens of a section, from its heading to the next heading of the same depth or less. */
function section(tokens: Token[], title: string): Token[] {
  const start = tokens.findIndex((t) => t.type === "heading" && plainText((t as Tokens.Heading).tokens) === title);
  if (start < 0) throw new Error(`README.md has no section "${title}"`);
  const depth = (tokens[start] as Tokens.Heading).depth;
  const end = tokens.findIndex((t, i) => i > start && t.type === "heading" && (t as Tokens.Heading).depth <= depth);
  return tokens.slice(start + 1, end < 0 ? undefined : end);
}

function codeBlocks(tokens: Token[]): string[] {
  return tokens.filter((t): t is Tokens.Code => t.type === "code").map((t) => t.text);
}

const readme = tokensOf(README);

describe("the quick start", () => {
  it("quotes the records and the summary line that npm start's run prints", () => {
    // What npm start runs, with its demo log put in a temporary folder.
    const start: string = JSON.parse(readFileSync(resolve(ROOT, "package.json"), "utf8")).scripts.start;
    const steps = start.split(" && ").map((step) => step.split(" "));
    expect(steps.map((s) => s.slice(0, 2).join(" "))).toEqual(["node dist/tarkin.js", "node dist/tarkin.js"]);
    const log = join(work, "demo.log");
    const runs = steps.map((s) => tarkin(s.slice(2).map((a) => (a === "build/demo.log" ? log : a))));
    const records = runs[1].stdout.split("\n");
    const summary = runs[1].stderr.trim().split("\n").at(-1);

    const quoted = codeBlocks(section(readme, "Quick start")).find((b) => b.includes("tarkin check:"));
    expect(quoted, "a code block in the quick start with check's summary line").toBeDefined();
    const lines = quoted!.split("\n");
    expect(lines.filter((l) => l.startsWith("tarkin check:"))).toEqual([summary]);
    const quotedRecords = lines.filter((l) => l.startsWith("{"));
    expect(quotedRecords.length).toBeGreaterThan(0);
    for (const record of quotedRecords) expect(records, "a quoted record that the run did not print").toContain(record);
  });
});

describe("the output reference", () => {
  it("states the decision rule as explain prints it", () => {
    const quoted = codeBlocks(section(readme, "The decision")).find((b) => b.includes("decision"));
    expect(quoted).toBeDefined();
    const [command, ...shown] = quoted!.split("\n");
    const message = /^\$ tarkin explain "(.*)"$/.exec(command)?.[1];
    expect(message, "the block starts with the explain command it quotes").toBeDefined();
    const printed = tarkin(["explain", message!]).stdout.split("\n");
    const lines = shown.filter((l) => l !== "...");
    expect(lines.some((l) => l.startsWith("decision "))).toBe(true);
    for (const line of lines) expect(printed, "a quoted line that explain did not print").toContain(line);
  });

  it("lists every field the module adds, and only those", () => {
    const table = section(readme, "The fields tarkin adds").find((t): t is Tokens.Table => t.type === "table");
    expect(table).toBeDefined();
    const listed = table!.rows.map((row) => plainText(row[0].tokens));
    expect([...listed].sort()).toEqual(OUTPUT_FIELDS.split(",").map((f) => `tarkin_${f}`).sort());
  });
});

describe("the module's size", () => {
  // Sizes are marked in the README: <!-- module-size -->264 KB<!-- /module-size -->, and the budget likewise.
  const text = readFileSync(README, "utf8");
  const marked = (name: string) => [...text.matchAll(new RegExp(`<!-- ${name} -->([^<]*)<!-- /${name} -->`, "g"))].map((m) => m[1]);
  const UNITS: Record<string, number> = { bytes: 1, KB: 1000, MB: 1000 ** 2, KiB: 1024, MiB: 1024 ** 2 };
  const bytes = (stated: string) => {
    const m = /^([\d,.]+) (bytes|KB|MB|KiB|MiB)$/.exec(stated.trim());
    if (!m) throw new Error(`not a size: "${stated}"`);
    return Number(m[1].replaceAll(",", "")) * UNITS[m[2]];
  };
  const size = statSync(resolve(ROOT, "build/tarkin.wasm")).size;

  it("is within the budget the README states", () => {
    const budgets = marked("module-budget").map(bytes);
    expect(budgets.length).toBeGreaterThan(0);
    for (const budget of budgets) expect(size).toBeLessThanOrEqual(budget);
  });

  it("is what the README says, within 10% (past that the README's number is stale)", () => {
    const stated = marked("module-size").map(bytes);
    expect(stated.length).toBeGreaterThan(0);
    for (const s of stated) expect(Math.abs(size - s) / size, `README says ${s} bytes, build/tarkin.wasm is ${size}`).toBeLessThanOrEqual(0.1);
  });
});

describe("links between the documents", () => {
  const anchors = new Map<string, Set<string>>();
  function anchorsOf(file: string): Set<string> {
    let found = anchors.get(file);
    if (!found) {
      const slugger = new GithubSlugger();
      found = new Set();
      marked.walkTokens(tokensOf(file), (t) => {
        if (t.type === "heading") found!.add(slugger.slug(plainText((t as Tokens.Heading).tokens)));
      });
      anchors.set(file, found);
    }
    return found;
  }

  for (const document of DOCUMENTS) {
    it(`${relative(ROOT, document)}: every #anchor is a heading, every relative file is there`, () => {
      const links: string[] = [];
      marked.walkTokens(tokensOf(document), (t) => {
        if (t.type === "link" || t.type === "image") links.push((t as Tokens.Link).href);
      });
      expect(links.length).toBeGreaterThan(0);
      const broken = links.filter((href) => {
        if (/^[a-z]+:/i.test(href)) return false; // another site: not checked here
        const [path, anchor] = href.split("#");
        const target = path ? resolve(dirname(document), decodeURIComponent(path)) : document;
        if (!existsSync(target)) return true;
        if (anchor === undefined) return false;
        return !target.endsWith(".md") || !anchorsOf(target).has(decodeURIComponent(anchor));
      });
      expect(broken).toEqual([]);
    });
  }
});
