/**
 * Reads and checks an agent folder at program time, before anything is deployed (`pulumi up`, render,
 * check-config). Every problem names the config path (`openclaw-fleet:agent.path` or `.seed[i]`) and the file.
 *
 * Layout: `workspace/**` -> the gateway's workspace, `skills/<skill>/**` (with a SKILL.md) -> the workspace's
 * `skills/<skill>/`, `config.yaml` (the app team's config fragment, read elsewhere) not shipped. Nothing else.
 */
import { lstatSync, readdirSync, readFileSync, realpathSync, statSync, type Stats } from "node:fs";
import { isAbsolute, join, relative, sep } from "node:path";
import { configPath, type ConfigProblem } from "../config/errors.js";
import type { AgentSource } from "../config/schema.js";
import type { AgentContent, AgentFile } from "./content.js";
import { CONFIGMAP_DATA_LIMIT_BYTES, contentData, contentDataBytes } from "./contentIndex.js";

/** A file or directory name the program ships: it becomes a path in the workspace and a word in the init script's index. */
export const PATH_SEGMENT = /^[A-Za-z0-9_.][A-Za-z0-9._-]*$/;
const SEGMENT_RULE = "letters, digits, '.', '_' and '-' only, not '.' or '..' (it becomes a path in the gateway's workspace)";

/** The folder's own app-team config fragment: not a workspace file. */
export const FRAGMENT_FILE = "config.yaml";
const TOP_LEVEL = ["workspace", "skills", FRAGMENT_FILE];

const PATH = configPath(["agent", "path"]);

export interface AgentFolderResult {
  content?: AgentContent;
  problems: ConfigProblem[];
}

/** A relative path of `/`-separated valid segments, or why not. */
export function relativePathProblem(path: string): string | undefined {
  if (path.startsWith("/") || isAbsolute(path)) return "is an absolute path; name it relative to the project directory";
  const segments = path.split("/");
  if (segments.includes("..")) return "contains '..'; the agent folder must be inside the project directory";
  const bad = segments.find((segment) => segment !== "." && !PATH_SEGMENT.test(segment));
  if (bad !== undefined) return `"${bad}" is not a valid path segment (${SEGMENT_RULE})`;
  return undefined;
}

export function readAgentFolder(projectDir: string, source: AgentSource): AgentFolderResult {
  const problems: ConfigProblem[] = [];
  const pathProblem = relativePathProblem(source.path);
  if (pathProblem) return { problems: [{ path: PATH, message: `"${source.path}" ${pathProblem}` }] };
  const folder = join(projectDir, source.path);
  let folderStat: Stats;
  try {
    folderStat = statSync(folder);
  } catch {
    return { problems: [{ path: PATH, message: `"${source.path}": no such folder in the project directory ${projectDir}` }] };
  }
  if (!folderStat.isDirectory()) return { problems: [{ path: PATH, message: `"${source.path}" is not a folder` }] };
  const root = realpathSync(folder);
  if (!isInside(realpathSync(projectDir), root)) {
    return { problems: [{ path: PATH, message: `"${source.path}" resolves outside the project directory (a symlink?); the folder must be in the repository` }] };
  }

  const files: { source: string; text: string }[] = [];
  const fileProblem = (relativePath: string, message: string) => problems.push({ path: PATH, message: `${join(source.path, relativePath)}: ${message}` });

  /** Every regular file under `dir` (relative to the folder), symlinks resolved inside the folder only. */
  const walk = (dir: string) => {
    for (const name of readdirSync(join(root, dir)).sort()) {
      const relativePath = dir === "" ? name : `${dir}/${name}`;
      if (!PATH_SEGMENT.test(name)) {
        fileProblem(relativePath, `"${name}" is not a valid file name (${SEGMENT_RULE})`);
        continue;
      }
      const absolute = join(root, relativePath);
      let stat = lstatSync(absolute);
      if (stat.isSymbolicLink()) {
        let target: string;
        try {
          target = realpathSync(absolute);
        } catch {
          fileProblem(relativePath, "is a symlink to nothing");
          continue;
        }
        if (!isInside(root, target)) {
          fileProblem(relativePath, `is a symlink pointing outside the agent folder (to ${target}); only files inside the folder are shipped`);
          continue;
        }
        stat = statSync(absolute);
        if (stat.isDirectory()) {
          fileProblem(relativePath, "is a symlink to a folder; link files, or move the folder here");
          continue;
        }
      }
      if (stat.isDirectory()) walk(relativePath);
      else if (stat.isFile()) files.push({ source: relativePath, text: "" });
      else fileProblem(relativePath, "is not a regular file or folder");
    }
  };

  for (const name of readdirSync(root).sort()) {
    if (!TOP_LEVEL.includes(name)) {
      fileProblem(name, `is not part of an agent folder; it holds ${TOP_LEVEL.map((entry) => (entry.includes(".") ? entry : `${entry}/`)).join(", ")} (docs/agents.md)`);
      continue;
    }
    if (name === FRAGMENT_FILE) continue;
    if (!statSync(join(root, name)).isDirectory()) {
      fileProblem(name, "must be a folder");
      continue;
    }
    if (lstatSync(join(root, name)).isSymbolicLink()) {
      fileProblem(name, "is a symlink; make it a folder");
      continue;
    }
    walk(name);
  }

  // Skills: a folder per skill, each with its SKILL.md (what OpenClaw loads a skill from).
  if (isFolder(root, "skills")) {
    for (const skill of readdirSync(join(root, "skills")).sort()) {
      if (!PATH_SEGMENT.test(skill)) continue; // reported by the walk
      if (!lstatSync(join(root, "skills", skill)).isDirectory()) {
        fileProblem(`skills/${skill}`, "must be a folder holding the skill (skills/<skill>/SKILL.md)");
        continue;
      }
      if (!files.some((file) => file.source === `skills/${skill}/SKILL.md`)) fileProblem(`skills/${skill}`, "is a skill without SKILL.md; every skill folder needs one");
    }
  }
  for (const file of files) {
    if (file.source.startsWith("workspace/skills/")) fileProblem(file.source, "skills belong in the folder's skills/<skill>/, not in workspace/skills/");
  }

  const decoder = new TextDecoder("utf-8", { fatal: true });
  for (const file of files) {
    const bytes = readFileSync(join(root, file.source));
    try {
      file.text = decoder.decode(bytes);
    } catch {
      fileProblem(file.source, "is not UTF-8 text; binary files are not shipped (the workspace is the agent's text context), keep them out of the agent folder");
    }
  }

  const seed = new Set<string>();
  source.seed.forEach((entry, index) => {
    const at = configPath(["agent", "seed", index]);
    const problem = relativePathProblem(entry);
    if (problem) problems.push({ path: at, message: `"${entry}" ${problem}` });
    else if (!files.some((file) => file.source === entry)) problems.push({ path: at, message: `"${entry}" is not a file of ${source.path} (name it relative to the folder, such as workspace/MEMORY.md)` });
    else seed.add(entry);
  });
  if (problems.length > 0) return { problems };

  const shipped: AgentFile[] = files
    .map((file) => ({
      source: file.source,
      target: file.source.startsWith("workspace/") ? file.source.slice("workspace/".length) : file.source,
      policy: seed.has(file.source) ? ("seed" as const) : ("managed" as const),
      text: file.text,
    }))
    .sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : 0));
  const content: AgentContent = { path: source.path, files: shipped };

  const bytes = contentDataBytes(contentData(content));
  if (bytes > CONFIGMAP_DATA_LIMIT_BYTES) {
    const largest = [...shipped].sort((a, b) => Buffer.byteLength(b.text) - Buffer.byteLength(a.text)).slice(0, 3);
    problems.push({
      path: PATH,
      message:
        `${source.path} holds ${bytes} bytes, more than the ${CONFIGMAP_DATA_LIMIT_BYTES} bytes (1 MiB) a ConfigMap may hold; ` +
        `the largest files: ${largest.map((file) => `${join(source.path, file.source)} (${Buffer.byteLength(file.text)} bytes)`).join(", ")}`,
    });
    return { problems };
  }
  return { content, problems };
}

function isFolder(root: string, name: string): boolean {
  try {
    return lstatSync(join(root, name)).isDirectory();
  } catch {
    return false;
  }
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== "" && !rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel);
}
