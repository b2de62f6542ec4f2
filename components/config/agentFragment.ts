/**
 * The app team's fragment of openclaw.json: `<agent.path>/config.yaml` in the project. Read here (the only I/O of
 * the agent's config); judged by ownership.ts and fragmentChecks.ts; merged over the platform's config in
 * gateway/openclawConfig.ts.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join, posix } from "node:path";
import { parseDocument } from "yaml";
import { isPlainObject } from "./deepMerge.js";
import { configPath, type ConfigProblem } from "./errors.js";

export const AGENT_CONFIG_FILE = "config.yaml";

export interface AgentFragment {
  /** The file as the project names it (`agents/acme/config.yaml`): every problem with the fragment names it. */
  file: string;
  /** The parsed fragment; empty when the folder has no config.yaml. */
  config: Record<string, unknown>;
}

/** The config path that points at the fragment (what to look at in the stack file). */
export const AGENT_PATH_CONFIG = configPath(["agent", "path"]);

/** A problem located in the fragment: the file and the path inside it, plus the stack key that points there. */
export function fragmentProblem(file: string, path: string, message: string): ConfigProblem {
  return { path: `${file}${path === "" ? "" : `: ${path}`}`, message: `${message} (the app team's fragment, from ${AGENT_PATH_CONFIG})` };
}

/** Reads and parses the fragment; a file that is not a YAML mapping is a problem naming the file (and the line). */
export function readAgentFragment(projectDir: string, agentPath: string): { fragment?: AgentFragment; problems: ConfigProblem[] } {
  const file = posix.join(agentPath.replaceAll("\\", "/"), AGENT_CONFIG_FILE);
  const absolute = join(projectDir, file);
  if (!existsSync(absolute)) return { fragment: { file, config: {} }, problems: [] };
  if (!statSync(absolute).isFile()) return { problems: [fragmentProblem(file, "", "must be a file (the app team's openclaw.json fragment, in YAML)")] };
  return parseAgentFragment(file, readFileSync(absolute, "utf8"));
}

/** Parses a fragment's text: a YAML mapping, or nothing (an empty file). Values never reach a message. */
export function parseAgentFragment(file: string, text: string): { fragment?: AgentFragment; problems: ConfigProblem[] } {
  const document = parseDocument(text, { uniqueKeys: true });
  if (document.errors.length > 0) {
    const [first] = document.errors;
    const line = first!.linePos?.[0]?.line;
    return { problems: [fragmentProblem(file, "", `is not valid YAML${line ? ` (line ${line}: ${first!.code})` : ` (${first!.code})`}; it must be a mapping of openclaw.json sections such as channels:, agents:, skills:`)] };
  }
  const value = document.toJS() as unknown;
  if (value === null || value === undefined) return { fragment: { file, config: {} }, problems: [] };
  if (!isPlainObject(value)) return { problems: [fragmentProblem(file, "", "must be a YAML mapping of openclaw.json sections (channels:, agents:, skills:, ...), not a list or a scalar")] };
  return { fragment: { file, config: value }, problems: [] };
}
