/**
 * The real Pulumi engine, offline: the CLI built from Go modules by scripts/build-tools.sh, the language
 * host and providers unpacked by scripts/engine-plugins.sh (ready-built binaries: the Go module proxy
 * refuses their modules), a file backend in the cache, and no plugin downloads (a missing plugin fails at
 * once instead of trying the network). Used by `npm run demo` and the end-to-end tests through the
 * Automation API.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { LocalWorkspace, PulumiCommand, type Stack } from "@pulumi/pulumi/automation/index.js";
import { InputError } from "../config/errors.js";
import { cacheRoot } from "../openclaw/install.js";

export const projectDir = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Runs one of the project's tool scripts; its stdout lines are bin directories, its stderr the reason it failed. */
function scriptOutput(script: string, args: string[]): string[] {
  try {
    const output = execFileSync(join(projectDir, "scripts", script), args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    return output.split("\n").filter((line) => line.trim() !== "");
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? "").trim();
    throw new Error(`the local Pulumi engine is incomplete: scripts/${script} failed${stderr ? `:\n${stderr}` : ""}`);
  }
}

/** Builds (or, warm, just finds) the named tool components and returns their bin directories. */
export function toolBinDirs(components: string[]): string[] {
  return scriptOutput("build-tools.sh", components);
}

/** The bin directory holding the language host and the providers (unpacked and digest-checked once). */
export function enginePluginsDir(): string {
  return scriptOutput("engine-plugins.sh", [])[0]!;
}

export interface LocalPulumiOptions {
  /** Kubeconfig the stack's cluster contexts live in; default: the engine's own ($KUBECONFIG, ~/.kube/config). */
  kubeconfig?: string;
  /** Where state lives (a `file://` backend); wins over `backendUrl`. */
  stateDir?: string;
  /**
   * Any backend the CLI takes (`postgres://...`, `s3://...`, `https://api.pulumi.com`); default:
   * $PULUMI_BACKEND_URL, else a file backend in the cache's `pulumi-state`.
   */
  backendUrl?: string;
  /**
   * The stacks' secrets are encrypted by a key service (`awskms://...`, `gcpkms://...`, `azurekeyvault://...`,
   * `hashivault://...`) rather than a passphrase: a stack created here gets it (`pulumi stack init
   * --secrets-provider`). Set when the fleet's `--secrets-provider` names one, or when the stack files already do.
   */
  secretsProvider?: string;
  /** The passphrase of a backend the caller chose (default: $PULUMI_CONFIG_PASSPHRASE). */
  passphrase?: string;
}

/**
 * The backend and the passphrase its stacks' secrets are encrypted with. The local passphrase is in the
 * repository, so it belongs to state that never leaves this machine: the cache's own file backend and a state
 * dir a test or benchmark made for itself (`stateDir`). Any other backend (PostgreSQL, S3, a `file://` elsewhere)
 * takes the user's passphrase or a key service; without either nothing runs (`SecretsKeyError`), so no stack is
 * ever created there with a known key. Pulumi Cloud (an `https://` backend) encrypts with the service's own key.
 */
export function backendSettings(options: Pick<LocalPulumiOptions, "stateDir" | "backendUrl" | "secretsProvider" | "passphrase">, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const chosen = options.stateDir ? undefined : (options.backendUrl ?? env.PULUMI_BACKEND_URL);
  if (!chosen) {
    const stateDir = options.stateDir ?? join(cacheRoot(), "pulumi-state");
    mkdirSync(stateDir, { recursive: true });
    return { PULUMI_BACKEND_URL: `file://${stateDir}`, PULUMI_CONFIG_PASSPHRASE: LOCAL_PASSPHRASE };
  }
  const settings: Record<string, string> = { PULUMI_BACKEND_URL: chosen, ...postgresBackendWorkaround(chosen, env) };
  // A passphrase file is read by the CLI itself: setting PULUMI_CONFIG_PASSPHRASE too would override it.
  if (options.passphrase) return { ...settings, PULUMI_CONFIG_PASSPHRASE: options.passphrase };
  if (env.PULUMI_CONFIG_PASSPHRASE_FILE) return settings;
  if (env.PULUMI_CONFIG_PASSPHRASE) return { ...settings, PULUMI_CONFIG_PASSPHRASE: env.PULUMI_CONFIG_PASSPHRASE };
  if (options.secretsProvider || isServiceBackend(chosen)) return settings;
  throw new SecretsKeyError(chosen);
}

/** Pulumi Cloud or a self-hosted Pulumi service: stacks there default to the service's secrets provider. */
function isServiceBackend(url: string): boolean {
  return /^https?:\/\//.test(url);
}

/** A backend URL fit for a message: credentials in it (`postgres://user:password@...`) are masked. */
export function redactBackendUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, "//***@");
}

/** A shared backend with no key of the user's: refused before anything runs (exit 2 in the fleet). */
export class SecretsKeyError extends InputError {
  constructor(backendUrl: string) {
    super(
      `the state backend ${redactBackendUrl(backendUrl)} is not this machine's cache, and its stacks' secrets need a key of your own: ` +
        "the local passphrase is in the repository, for the cache's file backend only. " +
        "Set PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE (kept in your secret store), " +
        "or use a key service: `secretsprovider:` in the stack files, or --secrets-provider awskms://...|gcpkms://...|azurekeyvault://...|hashivault://... for new stacks. Nothing was run",
    );
    this.name = "SecretsKeyError";
  }
}

/**
 * The 3.259 CLI's postgres:// backend deadlocks listing stacks (`pulumi stack ls`, selecting a stack) once a
 * project has 4 or more on a 2-core machine: it reads the stacks with 10 workers by default, each holding one
 * connection of a pool of 2 x GOMAXPROCS while it asks for another (measured: 3 workers list 10 stacks in 0.4 s,
 * 4 hang). One worker needs 2 connections at most; a value the user set is kept.
 */
function postgresBackendWorkaround(url: string, env: NodeJS.ProcessEnv): Record<string, string> {
  if (!/^postgres(ql)?:\/\//.test(url) || env.PULUMI_DIY_BACKEND_PARALLEL) return {};
  return { PULUMI_DIY_BACKEND_PARALLEL: "1" };
}

/** The local stack's passphrase: the state is on this machine only, in the cache. */
export const LOCAL_PASSPHRASE = "openclaw-fleet-local";

/**
 * Each plugin with the npm package whose version it must have: the providers' packages ask the engine for
 * their own version; the language host is released with the SDK (and the CLI) at one version.
 */
export const PLUGIN_PACKAGES = [
  { kind: "language", name: "nodejs", packageName: "@pulumi/pulumi" },
  { kind: "resource", name: "kubernetes", packageName: "@pulumi/kubernetes" },
  { kind: "resource", name: "random", packageName: "@pulumi/random" },
] as const;

/** A plugin's binary, as Pulumi names it. */
const pluginBinary = ({ kind, name }: { kind: string; name: string }) => `pulumi-${kind}-${name}`;

/** The plugins `pulumi up` of this program needs beside the CLI, by their binaries' names. */
export const REQUIRED_PLUGINS = PLUGIN_PACKAGES.map(pluginBinary);

export function localPulumiEnv(options: LocalPulumiOptions): Record<string, string> {
  // First: a backend refused for want of a key of the user's is refused before anything is built or run.
  const backend = backendSettings(options);
  const pulumiHome = join(cacheRoot(), "pulumi-home");
  mkdirSync(join(pulumiHome, "plugins"), { recursive: true });
  const [pulumiBin] = toolBinDirs(["pulumi"]);
  const pluginsBin = enginePluginsDir();
  assertEngineComplete(pulumiBin!, [pluginsBin]);
  const env = {
    // The language host runs the program with the first `node` on PATH: this process's (>= 22).
    PATH: [pulumiBin!, dirname(process.execPath), process.env.PATH ?? ""].join(":"),
    PULUMI_HOME: pulumiHome,
    ...backend,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    // Plugins come from PULUMI_HOME, installed at the versions the npm packages name (below), exactly where a
    // download would put them; ambient ones on PATH would be used whatever their version, with a warning.
    PULUMI_IGNORE_AMBIENT_PLUGINS: "true",
    ...(options.kubeconfig ? { KUBECONFIG: options.kubeconfig } : {}),
  };
  installPlugins(join(pulumiBin!, "pulumi"), pluginsBin, env);
  return env;
}

/** The version of an npm package as installed (what the program's resources ask the engine for). */
export function installedPackageVersion(packageName: string): string {
  return (JSON.parse(readFileSync(join(projectDir, "node_modules", packageName, "package.json"), "utf8")) as { version: string }).version;
}

/**
 * Installs each plugin binary into PULUMI_HOME under the version its npm package names, once. The binaries
 * in ../shared are built at the versions package.json pins, so the two agree; the end-to-end suite checks
 * the engine printed no "expected to have version" warning, which a drift would cause.
 */
function installPlugins(pulumi: string, pluginsBin: string, env: Record<string, string>): void {
  for (const plugin of PLUGIN_PACKAGES) {
    const { kind, name, packageName } = plugin;
    const version = installedPackageVersion(packageName);
    const binary = pluginBinary(plugin);
    const pluginDir = join(env.PULUMI_HOME!, "plugins", `${kind}-${name}-v${version}`);
    if (existsSync(join(pluginDir, binary))) continue;
    if (kind === "language") {
      // `pulumi plugin install` refuses the nodejs host ("bundled with Pulumi"), but the engine looks for it in
      // PULUMI_HOME's plugin layout like any other: put it there, atomically (a rename of a complete directory).
      const staging = mkdtempSync(join(env.PULUMI_HOME!, "plugins", ".staging-"));
      copyFileSync(join(pluginsBin, binary), join(staging, binary));
      chmodSync(join(staging, binary), 0o755);
      renameSync(staging, pluginDir);
      writeFileSync(`${pluginDir}.lock`, "");
      continue;
    }
    execFileSync(pulumi, ["plugin", "install", kind, name, version, "--file", join(pluginsBin, binary)], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "ignore", "inherit"],
    });
  }
}

/** Fails early, naming what is missing, instead of deep inside `pulumi up`. */
export function assertEngineComplete(pulumiBin: string, pluginDirs: string[]): void {
  const missing = REQUIRED_PLUGINS.filter((plugin) => !pluginDirs.some((dir) => dir && existsSync(join(dir, plugin))));
  if (!existsSync(join(pulumiBin, "pulumi"))) missing.unshift("pulumi");
  if (missing.length > 0) {
    throw new Error(
      `the local Pulumi engine is incomplete: ${missing.join(", ")} not found in ${[pulumiBin, ...pluginDirs].join(", ")}. ` +
        "See scripts/engine-plugins.sh: the plugins come from $OPENCLAW_FLEET_PULUMI_PLUGINS or ../shared/pulumi-plugins.",
    );
  }
}

/**
 * The locally built engine as Automation API workspace options: set up once (tool build check, plugin
 * install), then shared by every stack of a fleet run.
 */
export async function localWorkspaceOptions(options: LocalPulumiOptions): Promise<{ pulumiCommand: PulumiCommand; envVars: Record<string, string>; secretsProvider?: string }> {
  const envVars = localPulumiEnv(options);
  const pulumiBin = envVars.PATH!.split(":")[0]!;
  const pulumiCommand = await PulumiCommand.get({ root: dirname(pulumiBin), skipVersionCheck: false });
  // The workspace passes it to `pulumi stack init`: a stack created here is encrypted by the key service.
  return { pulumiCommand, envVars, ...(options.secretsProvider ? { secretsProvider: options.secretsProvider } : {}) };
}

/**
 * A stack of this project (its `Pulumi.<stack>.yaml`), driven by the locally built engine; `workDir` runs it from a
 * copy of the project (projectCopy.ts), so that what the engine writes into the stack file stays out of the checkout.
 */
export async function localStack(stackName: string, options: LocalPulumiOptions & { workDir?: string }): Promise<Stack> {
  return LocalWorkspace.createOrSelectStack({ stackName, workDir: options.workDir ?? projectDir }, await localWorkspaceOptions(options));
}
