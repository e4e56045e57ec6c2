// tarkin as a user installs it: `npm pack`'s tarball, installed into an empty folder with its
// production dependencies only and no registry (package.helpers.ts), runs from anywhere, finds its
// module, model and lexicon, and checks records as the checkout's CLI does. And the Dockerfile, as far
// as it is checked without Docker: linted by dockerfile-utils, its build stage copying files that
// exist and that .dockerignore lets into the context, its runtime stage installing the tarball the
// build stage packs, production dependencies only, as a non-root user, with tarkin as entrypoint.
// (test/package/docker-build.volume.test.ts runs the build stage's commands on exactly what it copies.)
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { validate } from "dockerfile-utils";
import { ROOT } from "../helpers.js";
import { buildContext, copied, DOCKERFILE, dockerIgnores, dockerStages, installOffline, pack, runtimeDependencies } from "./package.helpers.js";

const manifest = JSON.parse(readFileSync(resolve(ROOT, "package.json"), "utf8")) as { name: string; version: string; bin: Record<string, string>; files: string[] };
const RECORDS = ["Dec 10 06:55:46 host sshd[24200]: Failed password for invalid user admin from 203.0.113.7 port 5522 ssh2", "GET /index.html 200", "kernel: Out of memory: Killed process 4242 (java)"].join("\n") + "\n";

let dir: string;
let files: string[];
let bin: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "tarkin-package-"));
  const packed = pack(ROOT, dir);
  files = packed.files;
  mkdirSync(join(dir, "app"));
  installOffline(packed.tarball, { folder: join(dir, "app") }, dir);
  bin = join(dir, "app", "node_modules", ".bin", "tarkin");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The installed CLI, run from the filesystem's root: nothing found by the working directory. */
function installed(args: string[], input = "") {
  return spawnSync(bin, args, { cwd: "/", input, encoding: "utf8" });
}

describe("npm pack's tarball, installed into an empty folder", () => {
  it("holds the bundled CLI, the built module, the default model and the lexicon, and no sources or tests", () => {
    for (const f of ["package.json", "dist/tarkin.js", "build/tarkin-core.wasm", "build/tarkin.wasm", "models/default.json", "lexicon/security.tsv"]) expect(files, f).toContain(f);
    expect(files.filter((f) => /^(host|assembly|test|bench|node_modules)\/|\.wat$|debug/.test(f))).toEqual([]);
  });

  it("installs its runtime dependencies alone (commander and cli-progress are bundled into dist/tarkin.js)", () => {
    expect(readdirSync(join(dir, "app", "node_modules")).filter((d) => !d.startsWith(".")).sort()).toEqual([manifest.name, ...runtimeDependencies()].sort());
  });

  it("runs: --version, and check on the embedded default gives what the checkout's CLI gives", () => {
    expect(installed(["--version"]).stdout.trim()).toBe(manifest.version);
    const got = installed(["check"], RECORDS);
    expect(got.status, got.stderr).toBe(0);
    const want = spawnSync(process.execPath, [resolve(ROOT, "dist/tarkin.js"), "check"], { input: RECORDS, encoding: "utf8" });
    expect(got.stdout).toBe(want.stdout);
    expect(got.stdout.trim().split("\n").map((l) => JSON.parse(l).tarkin_anomaly)).toEqual([true, false, true]);
    expect(got.stderr).toMatch(/^tarkin check: 3 records in, 3 out, \d infrequent, 2 anomalous, 0 errors, \d not covered\n$/);
  });
});

describe("Dockerfile", () => {
  const text = readFileSync(DOCKERFILE, "utf8");
  const [build, runtime] = dockerStages(text);
  const runs = (stage: typeof build) => stage.instructions.filter((i) => i.keyword === "RUN").map((i) => i.args.join(" "));

  it("passes dockerfile-utils' lint, and a broken one does not", () => {
    expect(validate(text)).toEqual([]);
    expect(validate(text.replace('ENTRYPOINT ["tarkin"]', "ENTRYPOINT ['tarkin']")).length).toBeGreaterThan(0);
  });

  it("builds on the official Node 20 image in two stages: npm ci, build and pack; then the tarball installed, production dependencies only", () => {
    expect(build.image).toMatch(/^node:20(-|$)/);
    expect(runtime.image).toMatch(/^node:20(-|$)/);
    expect(build.name).toBe("build");
    expect(runs(build)[0]).toMatch(/^npm ci\b/);
    expect(runs(build)[1]).toMatch(/^npm run build && mkdir \/pkg && npm pack --pack-destination \/pkg && mv \/pkg\/tarkin-\*\.tgz \/pkg\/tarkin\.tgz$/);
    const [fromBuild] = runtime.instructions.filter((i) => i.keyword === "COPY");
    expect(fromBuild).toMatchObject({ from: build.name, args: ["/pkg/tarkin.tgz", "/tmp/tarkin.tgz"] });
    expect(runs(runtime)[0]).toMatch(/^npm install --global --omit=dev .*\/tmp\/tarkin\.tgz/);
  });

  it("runs as the image's non-root user, with tarkin (the package's bin) as entrypoint", () => {
    const user = runtime.instructions.filter((i) => i.keyword === "USER").at(-1)!;
    expect(user.args[0]).toBe("1000:1000"); // the node user of the official image, as the Kubernetes manifests' runAsUser
    expect(runtime.instructions.find((i) => i.keyword === "ENTRYPOINT")!.exec).toEqual([Object.keys(manifest.bin)[0]]);
  });

  it("copies into the build stage only files that exist and that .dockerignore lets into the context", () => {
    const context = buildContext();
    const copies = build.instructions.filter((i) => i.keyword === "COPY");
    expect(copies.length).toBeGreaterThan(3);
    for (const c of copies) for (const source of c.args.slice(0, -1)) expect(copied(context, source), `COPY ${source}`).not.toEqual([]);
    // Everything the package ships from the sources is copied: its "files" that are not build outputs.
    for (const f of manifest.files.filter((f) => !/^(dist|build)\b/.test(f))) expect(copies.some((c) => c.args.slice(0, -1).includes(f)), f).toBe(true);
    // And the context holds nothing else: no node_modules, outputs, tests or logs.
    const sources = copies.flatMap((c) => c.args.slice(0, -1));
    expect(context.filter((f) => !sources.some((s) => copied([f], s).length))).toEqual([]);
  });

  it(".dockerignore's patterns read as Docker reads them", () => {
    const ignores = dockerIgnores("*\n!host\nhost/secret\n!scripts/build-cli.mjs\n**/*.log\n");
    expect(ignores("node_modules/x/index.js")).toBe(true);
    expect(ignores("host/cli.ts")).toBe(false);
    expect(ignores("host/secret/key")).toBe(true);
    expect(ignores("scripts/build-cli.mjs")).toBe(false);
    expect(ignores("scripts/gen-unicode.mjs")).toBe(true);
    expect(ignores("host/debug.log")).toBe(true);
  });
});
