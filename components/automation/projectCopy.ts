/**
 * A working copy of the project for the engine to write into: the CLI writes a stack's `encryptionsalt` (and
 * re-serialises the file) into `Pulumi.<stack>.yaml` when it creates the stack, and no command may change a
 * tracked file. The copy links every entry of the project (the program, node_modules, Pulumi.yaml) and holds its
 * own stack files: each run takes the tracked file's `config` and keeps what the engine wrote beside it (the salt
 * the stack's secrets are encrypted with), so the copy lives in the cache, next to the state it belongs to.
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";

const STACK_FILE = /^Pulumi\.[^.]+\.yaml$/;

/** Links `projectDir`'s entries into `copyDir` (once) and writes the copy's `Pulumi.<stack>.yaml`; returns `copyDir`. */
export function projectCopy(projectDir: string, copyDir: string, stack: string): string {
  mkdirSync(copyDir, { recursive: true });
  for (const entry of readdirSync(projectDir)) {
    if (entry === ".git" || STACK_FILE.test(entry)) continue;
    const link = join(copyDir, entry);
    if (existsSync(link) || isDanglingLink(link)) continue;
    symlinkSync(join(projectDir, entry), link);
  }
  const file = `Pulumi.${stack}.yaml`;
  const tracked = (parse(readFileSync(join(projectDir, file), "utf8")) ?? {}) as Record<string, unknown>;
  const copyFile = join(copyDir, file);
  const engineWritten = existsSync(copyFile) ? ((parse(readFileSync(copyFile, "utf8")) ?? {}) as Record<string, unknown>) : {};
  // The tracked file's settings win; what only the engine wrote (encryptionsalt, secretsprovider) is kept.
  writeFileSync(copyFile, stringify({ ...engineWritten, ...tracked }));
  return copyDir;
}

function isDanglingLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
