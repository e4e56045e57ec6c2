// The files the CLI ships with: the built module and the embedded default model, found from the
// package's root whether the CLI runs bundled (dist/) or from source (host/).
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CliError } from "../errors.js";
import { parseModel, type Model } from "./model.js";

function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, "utf8")).name === "tarkin") return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new CliError("cannot find tarkin's package directory");
    dir = parent;
  }
}

export const ROOT = packageRoot();

export function coreModule(): Uint8Array {
  const file = join(ROOT, "build", "tarkin-core.wasm");
  if (!existsSync(file)) throw new CliError(`${file} is missing: run npm run build`);
  return readFileSync(file);
}

export const DEFAULT_MODEL_FILE = join(ROOT, "models", "default.json");

export function defaultModel(): Model {
  return parseModel(readFileSync(DEFAULT_MODEL_FILE, "utf8"), "models/default.json");
}

export function version(): string {
  return JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version;
}
