// Bundles the CLI into dist/tarkin.js. Dependencies written as CommonJS (commander, cli-progress)
// require Node's built-ins, which an ES module bundle provides through createRequire.
import { build } from "esbuild";

await build({
  entryPoints: ["host/cli.ts"],
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  outfile: "dist/tarkin.js",
  // vader-sentiment is read as data (its lexicon file) from where it is installed.
  external: ["vader-sentiment"],
  banner: {
    js: '#!/usr/bin/env node\nimport { createRequire as __createRequire } from "node:module";\nconst require = __createRequire(import.meta.url);',
  },
  logLevel: "warning",
});
