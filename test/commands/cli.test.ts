// The command line as host/cli.ts wires it: unknown commands and options, --help and --version,
// exit codes and message prefixes, and the model file checked key by key by every command that reads one.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { ROOT } from "../helpers.js";
import { useTestDirectory, run, ok, fails, write, read, exists, trained, packed } from "./cli.helpers.js";

useTestDirectory();

describe("the command line", () => {
  it.each([
    [["--bogus"]],
    [["sample", "--bogus"]],
    [["check", "--bogus"]],
    [["inspect", "x.wasm", "--bogus"]],
    [["explain", "hello", "--bogus"]],
  ])("an unknown option %j fails with one line naming it", async (args) => {
    const r = fails(run(args), "--bogus");
    expect(r.stderr).toMatch(/unknown option/);
  });

  it("an unknown option on train (given everything it requires) fails naming it", async () => {
    write("a.log", "hello\n");
    fails(run(["train", "a.log", "-o", "m.json", "--bogus"]), /unknown option '--bogus'/);
    expect(exists("m.json")).toBe(false);
  });

  it("an unknown command fails with one line naming it", async () => {
    fails(run(["frobnicate"]), /unknown command 'frobnicate'/);
  });

  it("--help exits 0 and lists every command", async () => {
    const r = ok(run(["--help"]));
    for (const command of ["train", "merge", "pack", "inspect", "check", "explain", "sample"]) expect(r.stdout).toContain(command);
    expect(ok(run(["check", "--help"])).stdout).toContain("--wasm");
  });

  it("train without -o and with an unknown option reports the unknown option, not the missing -o", async () => {
    write("a.log", "hello\n");
    const r = fails(run(["train", "a.log", "--bogus"]), /^tarkin train: unknown option '--bogus'/);
    expect(r.status).toBe(2);
    expect(r.stderr).not.toContain("--output");
    // Given no unknown option, the missing -o is still reported.
    expect(fails(run(["train", "a.log"]), /^tarkin train: required option '-o, --output <model\.json>' not specified/).status).toBe(2);
  });

  it("--version prints the package's version", async () => {
    const { version } = JSON.parse(readFileSync(resolve(ROOT, "package.json"), "utf8")) as { version: string };
    expect(ok(run(["--version"])).stdout.trim()).toBe(version);
  });
});

describe("exit codes and message prefixes", () => {
  // 2: the command line is wrong (an unknown option, a bad option value, a missing required option).
  it.each([
    [["train", "a.log", "-o", "m.json", "--bogus"], "train", "unknown option '--bogus'"],
    [["train", "a.log"], "train", "required option '-o, --output"],
    [["train", "a.log", "--format", "csv", "--column", "0", "-o", "m.json"], "train", "--column"],
    [["merge", "a.json", "-o", "m.json"], "merge", "at least two models"],
    [["merge", "a.json", "b.json"], "merge", "required option '-o, --output"],
    [["pack", "--model", "m.json", "--gate-spreads", "x", "-o", "t.wasm"], "pack", "--gate-spreads must be a number"],
    [["check", "a.log", "--min-fear", "3"], "check", "--min-fear must be a number from 0 to 1"],
    [["check", "a.log", "--prefix", "a b"], "check", "--prefix must be"],
    [["check", "a.log", "--field", "a..b"], "check", "is not a field path"],
    [["check", "a.log", "--mode", "x"], "check", "argument 'x' is invalid"],
    [["report", "a.log", "--top", "-3", "-o", "r.html"], "report", "--top must be a whole number"],
    [["eval", "a.log", "--seed", "x"], "eval", "--seed must be a whole number"],
    [["sample", "--attacks", "2"], "sample", "--attacks must be a number from 0 to 1"],
    [["serve", "--listen", "nowhere", "--forward", "127.0.0.1:9"], "serve", "--listen must be HOST:PORT"],
    [["explain"], "explain", "missing required argument 'message'"],
  ])("%j exits 2 with one line prefixed tarkin %s:", async (args, command, message) => {
    write("a.log", "hello\n");
    const r = fails(run(args), message);
    expect(r.status).toBe(2);
    expect(r.stderr.startsWith(`tarkin ${command}: `), r.stderr).toBe(true);
  });

  it("a setting given with --wasm, which carries its own, is a usage error (2)", async () => {
    await packed("t.wasm");
    const r = fails(run(["check", "--wasm", "t.wasm", "--mode", "drop"], "hello\n"), /^tarkin check: settings are packed into t\.wasm/);
    expect(r.status).toBe(2);
  });

  // 1: the command line is right, the run failed.
  it.each([
    [["train", "missing.log", "-o", "m.json"], "train", "missing.log: no such file"],
    [["merge", "a.json", "b.json", "-o", "m.json"], "merge", "cannot read a.json"],
    [["pack", "--model", "missing.json", "-o", "t.wasm"], "pack", "missing.json: no such file"],
    [["inspect", "missing.wasm"], "inspect", "missing.wasm: no such file"],
    [["check", "missing.log"], "check", "missing.log: no such file"],
    [["explain", "hello", "--wasm", "missing.wasm"], "explain", "missing.wasm: no such file"],
    [["report", "missing.log", "-o", "r.html"], "report", "missing.log: no such file"],
    [["eval", "missing.log"], "eval", "missing.log: no such file"],
    [["sample", "-o", "missing-dir/s.log"], "sample", "cannot write missing-dir/s.log"],
  ])("%j exits 1 with one line prefixed tarkin %s:", async (args, command, message) => {
    const r = fails(run(args), message);
    expect(r.status).toBe(1);
    expect(r.stderr.startsWith(`tarkin ${command}: `), r.stderr).toBe(true);
  });

  it("a warning names its command too", async () => {
    const r = ok(run(["check", "--max-uncovered", "100%"], "a\u0000b\n"));
    expect(r.stderr).toMatch(/^tarkin check: warning: stdin looks binary/);
  });

  it("an unknown command, before any command is known, is prefixed tarkin: and exits 2", async () => {
    expect(fails(run(["frobnicate"]), /^tarkin: unknown command/).status).toBe(2);
  });

  it("commander's suggestion stays on the error's line", async () => {
    fails(run(["chek"]), "tarkin: unknown command 'chek' (Did you mean check?)");
    fails(run(["eval", "--mode", "drop"]), "tarkin eval: unknown option '--mode' (Did you mean --model?)");
  });
});

describe("a model file is checked key by key when read", () => {
  /** m.json from training, with `change` made to its parsed JSON. */
  async function corrupted(change: (m: Record<string, any>) => void): Promise<string> {
    await trained("good.json");
    const m = JSON.parse(read("good.json"));
    change(m);
    return write("bad.json", JSON.stringify(m));
  }

  it.each([
    ["messages -5", (m: Record<string, any>) => (m.messages = -5), '"messages" must be a whole number of 0 or more, not -5'],
    ["messages 1.5", (m: Record<string, any>) => (m.messages = 1.5), '"messages" must be a whole number of 0 or more, not 1.5'],
    ["messages as text", (m: Record<string, any>) => (m.messages = "300"), '"messages" must be a whole number of 0 or more, not "300"'],
    ["messages past 2^53", (m: Record<string, any>) => (m.messages = 2 ** 60), '"messages" must be a whole number'],
    ["n above messages", (m: Record<string, any>) => (m.characters[0].n = m.messages + 1), '"n" must be a whole number from 1 to "messages" (300), not 301'],
    ["n 0", (m: Record<string, any>) => (m.characters[1].n = 0), 'character 1 ('],
    ["K 0", (m: Record<string, any>) => (m.characters[0].K = 0), '"K" must be a whole number of 1 or more, not 0'],
    ["max below K", (m: Record<string, any>) => (m.characters[0].max = m.characters[0].K - 1), '"max" must be a whole number of "K"'],
    ["min -1", (m: Record<string, any>) => (m.characters[0].min = -1), '"min" must be a whole number from 0 to "max"'],
    ["min above max", (m: Record<string, any>) => (m.characters[0].min = m.characters[0].max + 1), '"min" must be a whole number from 0 to "max"'],
    ["Ex2 negative", (m: Record<string, any>) => (m.characters[0].Ex2 = -1), '"Ex2" must be a finite number of 0 or more, not -1'],
    ["provenance a string", (m: Record<string, any>) => (m.provenance = "mine"), '"provenance" must be an object, not "mine"'],
    ["trainedOn not a list", (m: Record<string, any>) => (m.provenance = { trainedOn: 3 }), '"provenance"."trainedOn" must be a list, not 3'],
  ])("%s: pack, merge and train --update refuse it, naming the key", async (_, change, message) => {
    await corrupted(change);
    const r = fails(run(["pack", "--model", "bad.json", "-o", "t.wasm"]), `tarkin pack: bad.json: `);
    expect(r.stderr).toContain(message);
    expect(r.status).toBe(1);
    expect(exists("t.wasm")).toBe(false);
    fails(run(["merge", "good.json", "bad.json", "-o", "m2.json"]), message);
    write("a.log", "hello\n");
    fails(run(["train", "a.log", "--update", "-o", "bad.json"]), message);
  });

  it("an Ex of 1e999 (Infinity once parsed) is refused", async () => {
    await trained("good.json");
    write("bad.json", read("good.json").replace(/"Ex": -?\d+(\.\d+)?/, '"Ex": 1e999'));
    fails(run(["pack", "--model", "bad.json", "-o", "t.wasm"]), /character 0 \(.*\): "Ex" must be a finite number, not Infinity/);
  });

  it("the committed default model and a trained one pass", async () => {
    ok(run(["pack", "--model", resolve(ROOT, "models/default.json"), "-o", "d.wasm"]));
    ok(run(["pack", "--model", await trained("good.json"), "-o", "t.wasm"]));
  });
});

describe("--help shows each settings option where it applies", () => {
  const SETTINGS = ["--field", "--mode", "--surprise", "--gate-spreads", "--min-fear", "--prefix"];

  /** The options --help lists in its main section and under the settings heading. */
  function help(command: string): { main: string[]; settings: string[]; heading: string | undefined } {
    const text = ok(run([command, "--help"])).stdout;
    const at = text.search(/^Settings /m);
    const options = (part: string) => [...part.matchAll(/^ {2}(?:-\w, )?(--[\w-]+)/gm)].map((m) => m[1]);
    return at < 0 ? { main: options(text), settings: [], heading: undefined } : { main: options(text.slice(0, at)), settings: options(text.slice(at)), heading: /^Settings .*$/m.exec(text)![0] };
  }

  it.each([
    ["check", SETTINGS],
    ["serve", SETTINGS],
    ["report", ["--field", "--surprise", "--gate-spreads", "--min-fear"]],
    ["explain", ["--surprise", "--min-fear"]],
  ])("%s: the settings for the embedded default apart, under a heading saying they are not for --wasm", async (command, settings) => {
    const h = help(command);
    expect(h.main).toContain("--wasm");
    expect(h.settings).toEqual(settings);
    for (const s of SETTINGS) expect(h.main).not.toContain(s);
    expect(h.heading).toBe("Settings of the embedded default model (not with --wasm: the module carries its own):");
  });

  it("eval: only the settings that change what it measures, packed with the model", async () => {
    const h = help("eval");
    expect(h.settings).toEqual(["--surprise", "--min-fear"]);
    expect(h.heading).toContain("not with --wasm");
  });

  it("pack: every setting, with its other options", async () => {
    const h = help("pack");
    expect(h.heading).toBeUndefined();
    for (const s of SETTINGS) expect(h.main).toContain(s);
  });

  it.each([
    ["explain", ["hello", "--mode", "drop"]],
    ["explain", ["hello", "--prefix", "x_"]],
    ["eval", ["a.log", "--mode", "drop"]],
    ["eval", ["a.log", "--gate-spreads", "2"]],
    ["report", ["a.log", "--mode", "drop", "-o", "r.html"]],
  ])("%s refuses a setting that means nothing there as an unknown option (exit 2)", async (command, args) => {
    write("a.log", "hello\n");
    expect(fails(run([command, ...args]), /unknown option '--/).status).toBe(2);
  });

  it("check --help says what --max-errors and --summary-json do", async () => {
    const text = ok(run(["check", "--help"])).stdout.replace(/\s+/g, " ");
    expect(text).toContain("--max-errors <n|percent%> the most errors allowed (records the module could not read): a count, or a share of the records in such as 0.5%; more fail the run (exit 1)");
    expect(text).toContain("--summary-json <file> also write the summary to this file as one JSON object");
  });
});
