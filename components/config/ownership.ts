/**
 * Who owns which part of a gateway's openclaw.json: the app team (its agent folder's `config.yaml`) or the platform
 * (the stack's `gateway.config` and what the program writes). Declared once here; the loader refuses a fragment
 * that reaches into the platform's part, docs/agents.md prints the table, and the policy pack reads the same list.
 * Pure: no I/O.
 */
import type { Environment } from "./schema.js";

/**
 * Top-level keys the app team's fragment may set (OpenClaw 2026.9.6 schema names: `session`, not `sessions`).
 * Every other top-level key belongs to the platform: a new OpenClaw section is the platform's until listed here.
 */
export const APP_OWNED_KEYS = ["channels", "agents", "models", "tools", "skills", "session", "cron", "bindings", "messages", "plugins"] as const;

export interface PlatformPath {
  /** Dotted path; `*` matches one key or list index (`agents.list.*.workspace`). */
  path: string;
  /** Why the platform owns it: the message a refused fragment gets. */
  why: string;
  /** Owned only in these environments (sandbox mode in prod); absent: everywhere. */
  environments?: readonly Environment[];
}

/**
 * Platform-owned paths. The top-level ones are listed for the table and their reasons (they are refused anyway,
 * not being app keys); the nested ones carve the platform's part out of an app-owned section.
 */
export const PLATFORM_OWNED_PATHS: readonly PlatformPath[] = [
  { path: "gateway", why: "mode, bind, port, auth, trustedProxies and Control UI origins are what the Service, the probes, the generated token and the ingress depend on" },
  { path: "diagnostics", why: "OpenTelemetry export is the platform's (openclaw-fleet:gateway.observability)" },
  { path: "logging", why: "the file log lives in /tmp, sized to its volume (logging.file, logging.maxFileBytes)" },
  { path: "meta", why: "the program writes an empty meta so the gateway never restores an older config over it" },
  { path: "env", why: "the process env comes from the Deployment and the env Secret" },
  { path: "secrets", why: "secret providers are the platform's; the fragment refers to env vars (${NAME}) instead" },
  { path: "update", why: "the image is pinned by the stack; the gateway does not update itself" },
  { path: "plugins.allow", why: "the platform decides which plugin code may load (openclaw-fleet:gateway.config.plugins.allow)" },
  { path: "plugins.deny", why: "the platform decides which plugin code may load" },
  { path: "plugins.load", why: "loads plugin code from paths outside the image" },
  { path: "plugins.slots", why: "slot plugins replace core parts of the gateway" },
  { path: "plugins.enabled", why: "switches every plugin, the platform's observability plugin included" },
  { path: "skills.load", why: "loads skills from directories outside the workspace" },
  { path: "skills.install", why: "how skills are installed (package managers, uploaded archives) is the platform's" },
  { path: "agents.defaults.workspace", why: "the workspace is on the state volume, where the agent folder is written" },
  { path: "agents.list.*.workspace", why: "the workspace is on the state volume, where the agent folder is written" },
  { path: "agents.defaults.sandbox.mode", why: "the sandbox mode is the platform's in prod", environments: ["prod"] },
  { path: "agents.list.*.sandbox.mode", why: "the sandbox mode is the platform's in prod", environments: ["prod"] },
];

export interface OwnershipViolation {
  /** Dotted path in the fragment (`gateway.bind`, `agents.list[0].workspace`). */
  path: string;
  why: string;
}

/** `["agents", "list", 0, "workspace"]` -> `agents.list[0].workspace`. */
export function fragmentPath(segments: readonly (string | number)[]): string {
  return segments.reduce<string>((path, segment) => (typeof segment === "number" ? `${path}[${segment}]` : path === "" ? segment : `${path}.${segment}`), "");
}

function matches(pattern: string, segments: readonly (string | number)[]): boolean {
  const parts = pattern.split(".");
  return parts.length === segments.length && parts.every((part, index) => part === "*" || part === String(segments[index]));
}

/** Every place the fragment sets something the platform owns in this environment, outermost first. */
export function ownershipViolations(fragment: Record<string, unknown>, environment: Environment): OwnershipViolation[] {
  const owned = PLATFORM_OWNED_PATHS.filter((entry) => !entry.environments || entry.environments.includes(environment));
  const violations: OwnershipViolation[] = [];
  const walk = (value: unknown, segments: (string | number)[]) => {
    const hit = owned.find((entry) => matches(entry.path, segments));
    if (hit) {
      violations.push({ path: fragmentPath(segments), why: hit.why });
      return;
    }
    if (Array.isArray(value)) value.forEach((item, index) => walk(item, [...segments, index]));
    else if (typeof value === "object" && value !== null) for (const [key, child] of Object.entries(value)) walk(child, [...segments, key]);
  };
  for (const [key, value] of Object.entries(fragment)) {
    if (!(APP_OWNED_KEYS as readonly string[]).includes(key)) {
      const declared = owned.find((entry) => entry.path === key);
      violations.push({ path: key, why: declared?.why ?? `it is not one of the app team's sections (${APP_OWNED_KEYS.join(", ")})` });
      continue;
    }
    walk(value, [key]);
  }
  return violations;
}
