/**
 * OpenClaw's limits on the workspace files it injects into every session (its "bootstrap" files). It truncates a
 * file over them silently at run time; the program refuses it before deploy instead, naming the file and the limit.
 * Which files count, the defaults and how they are counted are OpenClaw 2026.9.6's (workspace-bootstrap-policy,
 * bootstrap-budget: the text's `trimEnd()` length; docs/gateway/config-agents/workspace-and-bootstrap.md).
 */
import { isPlainObject } from "../config/deepMerge.js";
import { join } from "node:path";
import type { AgentContent } from "./content.js";

/** The workspace root files OpenClaw injects (WORKSPACE_BOOTSTRAP_FILENAMES). */
export const BOOTSTRAP_FILES = ["AGENTS.md", "SOUL.md", "IDENTITY.md", "USER.md", "BOOTSTRAP.md", "MEMORY.md"] as const;
/** Without it, `skipBootstrap` would leave the agent with OpenClaw's "missing file" marker: the one required file. */
export const REQUIRED_BOOTSTRAP_FILE = "AGENTS.md";
export const DEFAULT_BOOTSTRAP_MAX_CHARS = 20_000;
export const DEFAULT_BOOTSTRAP_TOTAL_MAX_CHARS = 60_000;
/** USER.md's own cap, which `bootstrapMaxChars` may lower but never raise (docs/concepts/user-model.md). */
export const USER_FILE_MAX_CHARS = 4_000;

export interface BootstrapLimits {
  perFile: number;
  total: number;
}

/** The limits a gateway's openclaw.json sets (`agents.defaults.bootstrapMaxChars` / `bootstrapTotalMaxChars`), else OpenClaw's defaults. */
export function bootstrapLimits(openclawConfig: Readonly<Record<string, unknown>>): BootstrapLimits {
  const agents = openclawConfig.agents;
  const defaults = isPlainObject(agents) && isPlainObject(agents.defaults) ? agents.defaults : {};
  const positive = (value: unknown, fallback: number) => (typeof value === "number" && Number.isInteger(value) && value > 0 ? value : fallback);
  return { perFile: positive(defaults.bootstrapMaxChars, DEFAULT_BOOTSTRAP_MAX_CHARS), total: positive(defaults.bootstrapTotalMaxChars, DEFAULT_BOOTSTRAP_TOTAL_MAX_CHARS) };
}

const chars = (text: string) => text.trimEnd().length;

/** Each bootstrap file over its limit, and the total over the total limit, as messages naming the file and the limit. */
export function bootstrapLimitProblems(content: AgentContent, limits: BootstrapLimits): string[] {
  const bootstrap = content.files.filter((file) => (BOOTSTRAP_FILES as readonly string[]).includes(file.target));
  const messages: string[] = [];
  for (const file of bootstrap) {
    const limit = file.target === "USER.md" ? Math.min(USER_FILE_MAX_CHARS, limits.perFile) : limits.perFile;
    const setting = file.target === "USER.md" ? "USER.md's own cap (bootstrapMaxChars can only lower it)" : "agents.defaults.bootstrapMaxChars";
    if (chars(file.text) > limit) {
      messages.push(`${join(content.path, file.source)} has ${chars(file.text)} characters, over OpenClaw's limit of ${limit} per bootstrap file (${setting}); OpenClaw would truncate it: shorten it`);
    }
  }
  const total = bootstrap.reduce((sum, file) => sum + chars(file.text), 0);
  if (total > limits.total) {
    messages.push(
      `the bootstrap files of ${content.path} (${bootstrap.map((file) => file.target).join(", ")}) have ${total} characters together, over OpenClaw's limit of ${limits.total} ` +
        "(agents.defaults.bootstrapTotalMaxChars); OpenClaw would truncate them: shorten them",
    );
  }
  return messages;
}

/** Whether the folder provides the workspace's bootstrap files, so the gateway must not create its templates (`skipBootstrap`). */
export function providesBootstrapFiles(content: AgentContent): boolean {
  return content.files.some((file) => file.target === REQUIRED_BOOTSTRAP_FILE);
}
