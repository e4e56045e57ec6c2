// `npm run bench`: bundles bench/bench.ts (TypeScript, importing the host code it measures) with the
// project's esbuild, as scripts/build-cli.mjs bundles the CLI, then runs it. Not part of npm test.
import { build } from "esbuild";
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const outfile = resolve(root, "build", "bench.mjs");

await build({
  entryPoints: [resolve(root, "bench", "bench.ts")],
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  outfile,
  external: ["vader-sentiment"],
  banner: {
    js: 'import { createRequire as __createRequire } from "node:module";\nconst require = __createRequire(import.meta.url);',
  },
  logLevel: "warning",
});

await import(pathToFileURL(outfile).href);
