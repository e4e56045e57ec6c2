// The Dockerfile's build, without Docker (no registry for images here): its build stage's COPY
// instructions lay out, in a temporary folder standing for the image, exactly the files of the
// build context they name (.dockerignore applied), and its RUN commands run there, the image's
// absolute paths (/pkg) under that folder; `npm ci` is stood in for by this checkout's node_modules
// (what npm ci installed from the same lockfile), for no network. The runtime stage's install is
// stood in for by an offline `npm install --global` of the tarball into the image's prefix. The
// tarkin it gives runs, and its CLI and modules are byte for byte the checkout's.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, posix, resolve } from "node:path";
import { ROOT } from "../helpers.js";
import { buildContext, copied, dockerStages, installOffline, run, type Stage } from "./package.helpers.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "tarkin-docker-build-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A path of the image, under the folder standing for it. */
const inImage = (root: string, path: string) => join(root, path);

/** Runs a build stage in `root`: WORKDIR, COPY from the context, RUN (npm ci stood in for). */
function buildStage(stage: Stage, root: string, context: string[]): void {
  let workdir = inImage(root, "/");
  for (const i of stage.instructions) {
    if (i.keyword === "WORKDIR") {
      workdir = inImage(root, i.args[0]);
      mkdirSync(workdir, { recursive: true });
    } else if (i.keyword === "COPY") {
      const sources = i.args.slice(0, -1);
      const destination = i.args.at(-1)!;
      const intoFolder = destination.endsWith("/") || sources.length > 1;
      for (const source of sources) {
        const files = copied(context, source);
        const folder = !(files.length === 1 && files[0] === posix.normalize(source));
        for (const f of files) {
          const target = folder ? join(workdir, destination, f.slice(posix.normalize(source).length + 1)) : intoFolder ? join(workdir, destination, basename(f)) : join(workdir, destination);
          mkdirSync(dirname(target), { recursive: true });
          copyFileSync(join(ROOT, f), target);
        }
      }
    } else if (i.keyword === "RUN") {
      const command = i.args.join(" ");
      if (/^npm ci\b/.test(command)) symlinkSync(join(ROOT, "node_modules"), join(workdir, "node_modules"));
      else run("sh", ["-c", command.replace(/(^|\s)\/(?=\w)/g, `$1${root}/`)], workdir);
    } else throw new Error(`the build stage has a ${i.keyword}, which this test does not stand in for`);
  }
}

describe("the Dockerfile's build, stage by stage", () => {
  it("builds and packs tarkin from what the build stage copies alone, and installs it as the runtime stage does", () => {
    const [build, runtime] = dockerStages();
    const buildRoot = join(dir, "build");
    buildStage(build, buildRoot, buildContext());

    // The runtime stage: the tarball from the build stage, installed globally with production dependencies only.
    const imageRoot = join(dir, "image");
    const copy = runtime.instructions.find((i) => i.keyword === "COPY" && i.from === build.name)!;
    const tarball = inImage(imageRoot, copy.args[1]);
    mkdirSync(dirname(tarball), { recursive: true });
    copyFileSync(inImage(buildRoot, copy.args[0]), tarball);
    expect(runtime.instructions.find((i) => i.keyword === "RUN")!.args.join(" ")).toContain(`npm install --global --omit=dev --no-audit --no-fund ${copy.args[1]}`);
    const prefix = inImage(imageRoot, "/usr/local");
    installOffline(tarball, { globalPrefix: prefix }, dir);

    const tarkin = join(prefix, "bin", "tarkin");
    expect(existsSync(tarkin)).toBe(true);
    const installed = join(prefix, "lib", "node_modules", "tarkin");
    for (const f of ["build/tarkin-core.wasm", "build/tarkin.wasm"]) {
      expect(readFileSync(join(installed, f)).equals(readFileSync(resolve(ROOT, f))), `${f} as the checkout builds it`).toBe(true);
    }
    // esbuild names each bundled file by its path, which through the linked node_modules is the checkout's.
    const bundle = readFileSync(join(installed, "dist/tarkin.js"), "utf8").replace(/(\.\.\/)+[^"\n]*?\/node_modules\//g, "node_modules/");
    expect(bundle === readFileSync(resolve(ROOT, "dist/tarkin.js"), "utf8"), "dist/tarkin.js as the checkout builds it").toBe(true);
    const version = spawnSync(tarkin, ["--version"], { cwd: "/", encoding: "utf8" });
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(resolve(ROOT, "package.json"), "utf8")).version);
    const check = spawnSync(tarkin, ["check"], { cwd: "/", input: "sshd[7]: Failed password for invalid user admin from 203.0.113.9\n", encoding: "utf8" });
    expect(check.status, check.stderr).toBe(0);
    expect(JSON.parse(check.stdout).tarkin_anomaly).toBe(true);
  });
});
