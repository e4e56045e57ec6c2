// tarkin as npm packs it and as the Dockerfile builds it, without the registry or Docker: packing,
// installing a tarball offline, reading the Dockerfile's stages and what .dockerignore lets into the
// build context. Shared by test/package/package.test.ts and test/package/docker-build.volume.test.ts.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, posix } from "node:path";
import { DockerfileParser } from "dockerfile-ast";
import { ROOT } from "../helpers.js";

/**
 * The environment without what a surrounding `npm test` or npx sets for its scripts: npm_config_*
 * and node_modules/.bin on PATH (where a dependency's own old npm 6 would answer for `npm`).
 */
const ENV = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k))),
  PATH: (process.env.PATH ?? "").split(":").filter((p) => !p.includes("node_modules/.bin")).join(":"),
};

export function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  const r = spawnSync(command, args, { cwd, encoding: "utf8", env: { ...ENV, ...env }, maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${command} ${args.join(" ")} (in ${cwd}) exited ${r.status}:\n${r.stderr}`);
  return r.stdout;
}

/** `npm pack` of the package at `dir` into `destination`: the tarball's path and the files in it. */
export function pack(dir: string, destination: string): { tarball: string; files: string[] } {
  const [packed] = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", destination], dir)) as { filename: string; files: { path: string }[] }[];
  return { tarball: join(destination, packed.filename), files: packed.files.map((f) => f.path) };
}

/** tarkin's runtime dependencies, by package.json. */
export function runtimeDependencies(): string[] {
  return Object.keys((JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { dependencies?: Record<string, string> }).dependencies ?? {});
}

/**
 * Installs a tarkin tarball with its production dependencies only and no registry: each runtime
 * dependency is packed from this checkout's node_modules (what npm ci installed) and installed
 * beside it, --offline. `global`: the prefix of an `npm install --global`, as the image does.
 */
export function installOffline(tarball: string, where: { folder: string } | { globalPrefix: string }, scratch: string): void {
  const dependencies = runtimeDependencies().map((name) => pack(join(ROOT, "node_modules", name), scratch).tarball);
  const flags = ["install", "--offline", "--omit=dev", "--no-audit", "--no-fund", "--ignore-scripts"];
  if ("folder" in where) run("npm", [...flags, tarball, ...dependencies], where.folder);
  else run("npm", [...flags, "--global", "--prefix", where.globalPrefix, tarball, ...dependencies], scratch);
}

export interface Instruction {
  keyword: string;
  args: string[];
  /** COPY --from's stage. */
  from?: string;
  /** The exec form's strings (ENTRYPOINT ["tarkin"]). */
  exec?: string[];
}

export interface Stage {
  image: string;
  name: string | null;
  instructions: Instruction[];
}

export const DOCKERFILE = join(ROOT, "Dockerfile");

/** The Dockerfile's stages, parsed by dockerfile-ast (the parser of VS Code's Docker support). */
export function dockerStages(text = readFileSync(DOCKERFILE, "utf8")): Stage[] {
  const stages: Stage[] = [];
  const dockerfile = DockerfileParser.parse(text);
  const froms = dockerfile.getFROMs();
  for (const i of dockerfile.getInstructions()) {
    const keyword = i.getKeyword();
    if (keyword === "FROM") {
      const from = froms[stages.length];
      stages.push({ image: from.getImage()!, name: from.getBuildStage(), instructions: [] });
      continue;
    }
    const content = i.getArgumentsContent() ?? "";
    const instruction: Instruction = { keyword, args: i.getArguments().map((a) => a.getValue()) };
    if (content.trimStart().startsWith("[")) instruction.exec = JSON.parse(content) as string[];
    const from = keyword === "COPY" ? (i as unknown as { getFromFlag(): { getValue(): string | null } | null }).getFromFlag()?.getValue() : undefined;
    if (from) instruction.from = from;
    stages.at(-1)!.instructions.push(instruction);
  }
  return stages;
}

/** Go's filepath.Match as .dockerignore uses it, with ** for any number of directories. */
function globRegex(pattern: string): RegExp {
  const segments = pattern.split("/").map((segment) =>
    segment === "**" ? ".*" : segment.replace(/[.+^${}()|\\]/g, "\\$&").replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]"),
  );
  return new RegExp(`^${segments.join("/")}$`);
}

/**
 * Whether .dockerignore keeps a path (relative to the context, with /) out of the build context:
 * the last pattern that matches it or one of its parent folders decides, `!` letting it in.
 */
export function dockerIgnores(text = readFileSync(join(ROOT, ".dockerignore"), "utf8")): (path: string) => boolean {
  const patterns = text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"))
    .map((line) => {
      const exception = line.startsWith("!");
      return { exception, regex: globRegex(posix.normalize(line.slice(exception ? 1 : 0).replace(/^\/+/, ""))) };
    });
  return (path) => {
    const parts = path.split("/");
    const prefixes = parts.map((_, k) => parts.slice(0, k + 1).join("/"));
    let ignored = false;
    for (const p of patterns) if (prefixes.some((prefix) => p.regex.test(prefix))) ignored = !p.exception;
    return ignored;
  };
}

/** The files `docker build .` would send from this checkout: those git has (or would add) that .dockerignore lets in. */
export function buildContext(): string[] {
  const ignored = dockerIgnores();
  const files = run("git", ["ls-files", "--cached", "--others", "--exclude-standard"], ROOT).split("\n").filter(Boolean);
  return files.filter((f) => !ignored(f));
}

/** The context's files a COPY source names: the file itself, or every file under the folder. */
export function copied(context: string[], source: string): string[] {
  const path = posix.normalize(source).replace(/\/$/, "");
  return context.filter((f) => f === path || f.startsWith(path + "/"));
}
