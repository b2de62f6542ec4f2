/**
 * The real Pulumi engine, offline: the CLI and providers built from Go modules by scripts/build-tools.sh,
 * a file backend in the cache, and no plugin downloads (a missing plugin fails at once instead of trying
 * the network). Used by `npm run demo` and the end-to-end tests through the Automation API.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { LocalWorkspace, PulumiCommand, type Stack } from "@pulumi/pulumi/automation/index.js";
import { cacheRoot } from "../openclaw/install.js";

export const projectDir = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Builds (or, warm, just finds) the named tool components and returns their bin directories. */
export function toolBinDirs(components: string[]): string[] {
  const output = execFileSync(join(projectDir, "scripts/build-tools.sh"), components, { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  return output.split("\n").filter((line) => line.trim() !== "");
}

export interface LocalPulumiOptions {
  /** Kubeconfig the stack's cluster contexts live in. */
  kubeconfig: string;
  /** Where state lives (a `file://` backend); default: the cache's `pulumi-state`. */
  stateDir?: string;
}

/** The local stack's passphrase: the state is on this machine only, in the cache. */
export const LOCAL_PASSPHRASE = "openclaw-fleet-local";

export function localPulumiEnv(options: LocalPulumiOptions): Record<string, string> {
  const stateDir = options.stateDir ?? join(cacheRoot(), "pulumi-state");
  const pulumiHome = join(cacheRoot(), "pulumi-home");
  mkdirSync(stateDir, { recursive: true });
  mkdirSync(pulumiHome, { recursive: true });
  const [pulumiBin] = toolBinDirs(["pulumi"]);
  assertEngineComplete(pulumiBin!);
  return {
    // The CLI, the nodejs language host and the providers sit together; the language host needs Node >= 22.
    PATH: [pulumiBin!, dirname(process.execPath), process.env.PATH ?? ""].join(":"),
    PULUMI_HOME: pulumiHome,
    PULUMI_BACKEND_URL: `file://${stateDir}`,
    PULUMI_CONFIG_PASSPHRASE: LOCAL_PASSPHRASE,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    KUBECONFIG: options.kubeconfig,
  };
}

/** The plugins `pulumi up` of this program needs beside the CLI. */
export const REQUIRED_PLUGINS = ["pulumi-language-nodejs", "pulumi-resource-kubernetes", "pulumi-resource-random"];

/**
 * Fails early, and says why, when the locally built engine lacks a plugin: on these machines the Go module
 * proxy refuses the language host's and both providers' modules (403 "This module version is not
 * available"; tools/BUILD-NOTES.md), so only the CLI can be built, and `pulumi up` would fail later with
 * a less helpful error.
 */
export function assertEngineComplete(pulumiBin: string, pathDirs: string[] = (process.env.PATH ?? "").split(":")): void {
  const missing = REQUIRED_PLUGINS.filter((plugin) => ![pulumiBin, ...pathDirs].some((dir) => dir && existsSync(join(dir, plugin))));
  if (missing.length > 0) {
    throw new Error(
      `the local Pulumi engine is incomplete: ${missing.join(", ")} not found next to ${join(pulumiBin, "pulumi")} or on PATH. ` +
        "The Go module proxy reachable here refuses their modules (see tools/BUILD-NOTES.md); put binaries you built elsewhere on PATH to run this.",
    );
  }
}

/** A stack of this project (its `Pulumi.<stack>.yaml`), driven by the locally built engine. */
export async function localStack(stackName: string, options: LocalPulumiOptions): Promise<Stack> {
  const envVars = localPulumiEnv(options);
  const pulumiBin = envVars.PATH!.split(":")[0]!;
  const pulumiCommand = await PulumiCommand.get({ root: dirname(pulumiBin), skipVersionCheck: false });
  return LocalWorkspace.createOrSelectStack({ stackName, workDir: projectDir }, { pulumiCommand, envVars });
}
