// The program's loader (Pulumi.yaml's `nodeargs`). By hand, `pulumi up` runs the sources through tsx. `npm run fleet`
// compiles the program once per run (components/fleetops/programBuild.ts) and names the build in
// OPENCLAW_FLEET_PROGRAM_BUILD: the entry then resolves to the build's index.js and no TypeScript loader is installed,
// which spares every stack about a CPU second (tsx's hooks see every module @pulumi/kubernetes loads; docs/performance.md).
import { realpathSync } from "node:fs";
import { registerHooks } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const build = process.env.OPENCLAW_FLEET_PROGRAM_BUILD;
if (build) {
  const entry = pathToFileURL(realpathSync(join(process.cwd(), "index.ts"))).href;
  const compiled = pathToFileURL(join(build, "index.js")).href;
  registerHooks({
    resolve(specifier, context, nextResolve) {
      const resolved = nextResolve(specifier, context);
      return resolved.url === entry ? { ...resolved, url: compiled, format: "module" } : resolved;
    },
  });
} else {
  await import("tsx");
}
