import { providesBootstrapFiles } from "../agent/bootstrapLimits.js";
import { deepMerge } from "../config/deepMerge.js";
import { installedPluginIds } from "../config/installs.js";
import { DEFAULT_LOG_FILE_BYTES } from "../config/podBudgets.js";
import { GATEWAY_PORT } from "../config/versions.js";
import type { GatewayContext } from "./context.js";
import { keepOtelPluginAllowed, observabilityConfig } from "./observability.js";

/** The env var the gateway reads its token from; the config refers to it instead of holding the token. */
export const TOKEN_ENV_NAME = "OPENCLAW_GATEWAY_TOKEN";

/**
 * Origins the Control UI accepts. A non-loopback bind without `controlUi.allowedOrigins` crash-loops
 * (openclaw issue #53912). With an ingress host that host is the origin; without one, users reach the UI
 * through `kubectl port-forward`, i.e. from localhost.
 */
export function controlUiOrigins(context: GatewayContext): string[] {
  const { host, settings } = context.gateway;
  if (settings.ingress.enabled && host) return [`${settings.ingress.tls.enabled ? "https" : "http"}://${host}`];
  return [`http://localhost:${GATEWAY_PORT}`, `http://127.0.0.1:${GATEWAY_PORT}`];
}

/**
 * The generated `openclaw.json`, with the stack's `config` and then the app team's fragment deep-merged over it. The token stays an
 * `${OPENCLAW_GATEWAY_TOKEN}` reference that the gateway resolves from its env, so the ConfigMap holds no secret.
 */
export function buildOpenclawConfig(context: GatewayContext): Record<string, unknown> {
  const generated = {
    // An empty `meta` the gateway fills in: OpenClaw 2026.9 takes a config without `meta`, after it once wrote its
    // own (which has one), for a clobbered file and restores its backup at start ("Config auto-restored from
    // backup ... missing-meta-vs-last-good"), so in overwrite mode the program's config was silently replaced by
    // the gateway's previous one (seen on the real node, reproduced with `openclaw gateway run`).
    meta: {},
    gateway: {
      mode: "local",
      port: GATEWAY_PORT,
      // `lan` listens on all interfaces so the Service can reach it; host strings such as 0.0.0.0 are refused.
      bind: "lan",
      auth: { mode: "token", token: `\${${TOKEN_ENV_NAME}}` },
      controlUi: { allowedOrigins: controlUiOrigins(context) },
    },
    // The file log in /tmp/openclaw rotates at this size: bounded, so it fits the /tmp volume (podBudgets.ts).
    logging: { maxFileBytes: DEFAULT_LOG_FILE_BYTES },
    // The agent folder provides the workspace's bootstrap files: the gateway must not create its templates beside them
    // (it creates AGENTS.md, SOUL.md, IDENTITY.md, USER.md and BOOTSTRAP.md in a new workspace otherwise).
    ...(context.agent && providesBootstrapFiles(context.agent) ? { agents: { defaults: { skipBootstrap: true } } } : {}),
  };
  // Observability's keys come before the user's config, which may still refine them (e.g. logsExporter). The app
  // team's fragment comes last: the loader refused any platform-owned path in it (ownership.ts), so it can only
  // add to or refine the app's sections, never override the platform.
  const platform = deepMerge(deepMerge(generated, observabilityConfig(context)), context.gateway.settings.config);
  return allowInstalledPlugins(keepOtelPluginAllowed(deepMerge(platform, context.gateway.agentConfig ?? {}), context), context);
}

/**
 * The plugins installed at start (`installs.plugins`) are the platform's choice, so its `plugins.allow` names them. Without
 * an allow list every discovered plugin may load already (OpenClaw 2026.9.6), and adding one would block the bundled ones.
 */
function allowInstalledPlugins(config: Record<string, unknown>, context: GatewayContext): Record<string, unknown> {
  const plugins = config.plugins as { allow?: unknown } | undefined;
  const installed = installedPluginIds(context.gateway.settings.installs);
  if (!Array.isArray(plugins?.allow) || installed.length === 0) return config;
  const allow = plugins.allow;
  return { ...config, plugins: { ...plugins, allow: [...allow, ...installed.filter((id) => !allow.includes(id))] } };
}

/** The file content exactly as the ConfigMap carries it (stable key order from the builder). */
export function renderOpenclawConfig(context: GatewayContext): string {
  return `${JSON.stringify(buildOpenclawConfig(context), null, 2)}\n`;
}
