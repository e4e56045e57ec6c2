// The module's layers (issue 27): assembly/ has a folder per layer, and a file imports only from
// its own folder or a lower one, abi > decision > models = sentiment > formats > base; models and
// sentiment, side by side, never import each other; no two files import each other, however
// indirectly. assembly/index.ts, the entry, stands above all. The imports are read as TypeScript
// reads them (test/layers.test.ts does the same for the host). Module-level mutable state is kept
// small: at most 30 `let`s in all, none exported, each under or beside a comment saying why.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers.js";

const ASSEMBLY = join(ROOT, "assembly");

/** Each folder's rank: a file may import from its own rank or a lower one. */
const RANK: Record<string, number> = { abi: 4, decision: 3, models: 2, sentiment: 2, formats: 1, base: 0 };
const ENTRY = "index.ts";

/** Every assembly file but the as-pect tests, relative to assembly/ ("models/fields.ts"). */
const files = readdirSync(ASSEMBLY, { recursive: true, encoding: "utf8" })
  .filter((f) => f.endsWith(".ts") && !f.split(/[\\/]/).includes("__tests__"))
  .map((f) => f.split(/[\\/]/).join("/"))
  .sort();

/** The assembly files a file imports (a path not starting with "." is AssemblyScript's own library). */
function importsOf(file: string): string[] {
  const modules = ts.preProcessFile(readFileSync(join(ASSEMBLY, file), "utf8"), true, true).importedFiles.map((f) => f.fileName);
  return modules.filter((m) => m.startsWith(".")).map((m) => relative(ASSEMBLY, resolve(ASSEMBLY, dirname(file), m)).split(/[\\/]/).join("/") + ".ts");
}

const folderOf = (file: string) => (file.includes("/") ? file.slice(0, file.indexOf("/")) : "");
const imports = new Map(files.map((f) => [f, importsOf(f)]));

describe("assembly layers", () => {
  it("has every file in a layer's folder, the entry aside, and every import resolves to one of them", () => {
    expect(files.length).toBeGreaterThan(15);
    expect(files.filter((f) => f !== ENTRY && !(folderOf(f) in RANK))).toEqual([]);
    const unresolved = [...imports].flatMap(([f, to]) => to.filter((t) => !imports.has(t)).map((t) => `${f} -> ${t}`));
    expect(unresolved).toEqual([]);
  });

  it("imports only from the file's own folder or a lower one; models and sentiment not from each other", () => {
    const upward = [...imports].flatMap(([f, to]) =>
      f === ENTRY
        ? to.filter((t) => t === ENTRY).map((t) => `${f} -> ${t}`)
        : to
            .filter((t) => {
              const from = folderOf(f);
              const into = folderOf(t);
              if (t === ENTRY || RANK[into] > RANK[from]) return true;
              return into !== from && RANK[into] === RANK[from];
            })
            .map((t) => `${f} -> ${t}`),
    );
    expect(upward).toEqual([]);
  });

  it("has no import cycle among its files", () => {
    // Depth-first, colouring files in progress: an import of one in progress closes a cycle.
    const state = new Map<string, "open" | "done">();
    const cycles: string[] = [];
    const visit = (file: string, path: string[]): void => {
      state.set(file, "open");
      for (const to of imports.get(file) ?? []) {
        if (state.get(to) === "open") cycles.push([...path, file, to].slice(path.indexOf(to) >= 0 ? path.indexOf(to) : path.length).join(" -> "));
        else if (!state.has(to)) visit(to, [...path, file]);
      }
      state.set(file, "done");
    };
    for (const f of files) if (!state.has(f)) visit(f, []);
    expect(cycles).toEqual([]);
  });

  it("keeps at most 30 module-level lets, each file-private and commented", () => {
    const lets: string[] = [];
    const exported: string[] = [];
    const uncommented: string[] = [];
    for (const f of files) {
      const lines = readFileSync(join(ASSEMBLY, f), "utf8").split("\n");
      lines.forEach((line, i) => {
        if (!/^(export )?let /.test(line)) return;
        const at = `${f}:${i + 1}`;
        lets.push(at);
        if (line.startsWith("export")) exported.push(at);
        // A comment on the line, or above it past the lets of the same group.
        let above = i - 1;
        while (above >= 0 && /^let /.test(lines[above]) && !lines[above].includes("//")) above--;
        const commented = line.includes("//") || (above >= 0 && /^\s*(\/\/|\/\*\*|\*)/.test(lines[above]));
        if (!commented) uncommented.push(at);
      });
    }
    expect(exported).toEqual([]);
    expect(uncommented).toEqual([]);
    expect(lets.length).toBeLessThanOrEqual(30);
    expect(lets.length).toBeGreaterThan(0);
  });
});
