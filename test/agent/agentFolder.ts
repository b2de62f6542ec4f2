/** Temporary project directories with an agent folder, for the agent tests. */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export type FolderEntry = string | Buffer | { symlink: string };

export interface TempProject {
  dir: string;
  remove(): void;
}

/** A project dir holding `files` (paths relative to the project dir) and symlinks; removed by `remove()`. */
export function tempProject(files: Record<string, FolderEntry>): TempProject {
  const dir = mkdtempSync(join(tmpdir(), "ocf-agent-"));
  for (const [path, entry] of Object.entries(files)) {
    const absolute = join(dir, path);
    mkdirSync(dirname(absolute), { recursive: true });
    if (typeof entry === "object" && !Buffer.isBuffer(entry)) symlinkSync(entry.symlink, absolute);
    else writeFileSync(absolute, entry);
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A valid agent folder at agents/acme: bootstrap files, a seed file, a skill with a second file, the fragment. */
export const VALID_FOLDER: Record<string, FolderEntry> = {
  "agents/acme/workspace/AGENTS.md": "# Rules\n",
  "agents/acme/workspace/SOUL.md": "# Soul\n",
  "agents/acme/workspace/MEMORY.md": "# Memory\n",
  "agents/acme/workspace/notes/today.md": "notes\n",
  "agents/acme/skills/weather/SKILL.md": "---\nname: weather\ndescription: the weather\n---\n",
  "agents/acme/skills/weather/reference.md": "reference\n",
  "agents/acme/config.yaml": "channels: {}\n",
};
