// The host's layers: commands parse the command line, core/ takes typed values. Nothing under
// host/core/ may import commander (issue 27); the imports are read as TypeScript reads them, so an
// `import type`, a re-export, a dynamic import() or a require() counts too.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers.js";

const HOST = join(ROOT, "host");

function typescriptFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts"))
    .map((f) => join(dir, f));
}

/** Every module a file imports. */
function importsOf(file: string): string[] {
  return ts.preProcessFile(readFileSync(file, "utf8"), true, true).importedFiles.map((f) => f.fileName);
}

const isCommander = (module: string) => module === "commander" || module.startsWith("commander/");

describe("host layers", () => {
  it("sees commander where the command line is parsed, in host/commands/", () => {
    expect(importsOf(join(HOST, "commands", "options.ts")).filter(isCommander)).toEqual(["commander"]);
  });

  it("has no commander import under host/core/", () => {
    const files = typescriptFiles(join(HOST, "core"));
    expect(files.length).toBeGreaterThan(20);
    const importing = files.filter((f) => importsOf(f).some(isCommander)).map((f) => relative(ROOT, f));
    expect(importing).toEqual([]);
  });
});
