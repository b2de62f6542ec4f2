/**
 * The agent's content as the program ships it: each file of the folder with where it lands in the gateway's
 * workspace and its policy. Pure: the folder is read by folder.ts.
 */
import { createHash } from "node:crypto";

/** `managed`: the repository wins on every start, and a file removed from it is removed. `seed`: written only when missing. */
export type AgentFilePolicy = "managed" | "seed";

export interface AgentFile {
  /** Its path in the agent folder (`workspace/AGENTS.md`, `skills/weather/SKILL.md`): what errors and `seed` name. */
  source: string;
  /** Its path in the gateway's workspace (`AGENTS.md`, `skills/weather/SKILL.md`). */
  target: string;
  policy: AgentFilePolicy;
  /** UTF-8 text: binary files are refused (docs/agents.md). */
  text: string;
}

export interface AgentContent {
  /** The folder as the stack names it (`agents/acme`). */
  path: string;
  /** Sorted by target. */
  files: readonly AgentFile[];
}

/**
 * The digest of what the repository wins: managed files' targets and text. It rolls the pod (checksum.ts); a seed
 * file does not count, as restarting would not change one already on the volume.
 */
export function managedContentDigest(content: AgentContent): string {
  const hash = createHash("sha256");
  for (const file of content.files) {
    if (file.policy !== "managed") continue;
    hash.update(`${file.target}\0${file.text}\0`);
  }
  return hash.digest("hex");
}
