// The test folders mirror what they test (issue 27): every test file sits in a folder of
// docs/testing.md's map, so a new suite is placed, and the map is updated, in the same change.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers.js";

const TEST = join(ROOT, "test");

/** Every file under test/, relative to the root, with / between folders. */
const files = readdirSync(TEST, { recursive: true, encoding: "utf8" })
  .map((f) => join("test", f).split("\\").join("/"))
  .filter((f) => statSync(join(ROOT, f)).isFile());

/** The folders under test/ that docs/testing.md's map names. */
const mapped = [...readFileSync(join(ROOT, "docs/testing.md"), "utf8").matchAll(/^\| `(test\/[^`]*\/)` \|/gm)].map((m) => m[1]);

describe("the test folders", () => {
  it("docs/testing.md maps folders that exist and hold tests", () => {
    expect(mapped.length).toBeGreaterThan(5);
    for (const folder of mapped) expect(files.some((f) => f.startsWith(folder) && f.endsWith(".test.ts")), folder).toBe(true);
  });

  it("every test file is in a folder of the map", () => {
    const tests = files.filter((f) => f.endsWith(".test.ts"));
    expect(tests.length).toBeGreaterThan(30);
    expect(tests.filter((f) => !mapped.some((folder) => f.startsWith(folder)))).toEqual([]);
  });

  it("test/ itself holds only the shared fixtures", () => {
    expect(files.filter((f) => !f.slice("test/".length).includes("/"))).toEqual(["test/helpers.ts"]);
  });

  it("test/core/'s folders are host/core/'s", () => {
    const areas = readdirSync(join(TEST, "core")).filter((d) => statSync(join(TEST, "core", d)).isDirectory());
    expect(areas.filter((d) => !existsSync(join(ROOT, "host/core", d))).map((d) => relative(ROOT, join(TEST, "core", d)))).toEqual([]);
  });
});
