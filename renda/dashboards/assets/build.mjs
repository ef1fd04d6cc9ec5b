// npm run build:charts: bundle charts-entry.js with esbuild into ../static/dashboards/echarts.min.js.
// The first line names the echarts version and the entry's SHA-256, so a test can tell a stale build.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const entry = join(here, "charts-entry.js");
const version = JSON.parse(readFileSync(join(here, "../../../node_modules/echarts/package.json"))).version;
const digest = createHash("sha256").update(readFileSync(entry)).digest("hex");
await build({
  entryPoints: [entry],
  bundle: true,
  minify: true,
  format: "iife",
  target: "es2019",
  legalComments: "eof",
  banner: { js: `/* echarts ${version} entry-sha256 ${digest} (renda/dashboards/assets/build.mjs) */` },
  outfile: join(here, "../static/dashboards/echarts.min.js"),
});
