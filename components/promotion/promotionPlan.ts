/**
 * What a promotion would write, worked out from the stack files alone (no engine): the stack pairs, each source's
 * release, each target's changes and its new text. Everything wrong with the input is found here, before any gate
 * runs and before anything is written: a release key a cluster pins (the release would not reach it, or the source's
 * stack-level value is not what that cluster runs), a secret among the release keys, a target the program would
 * refuse with the new release (a moving tag in prod).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError, InputError } from "../config/errors.js";
import { loadFleetConfig } from "../config/load.js";
import { stackFileName } from "../fleetops/stackDiscovery.js";
import { parseStackFile } from "../render/stackFile.js";
import type { PromoteArgs } from "./promoteArgs.js";
import { clusterReleasePins, readRelease, releaseChanges, writeRelease, type ReleaseChange } from "./releaseValues.js";
import { pairStacks } from "./stackPairs.js";

export interface PlannedPromotion {
  source: string;
  target: string;
  targetFile: string;
  changes: ReleaseChange[];
  /** The target stack file's text with the release written in (equal to its text when there is no change). */
  newText: string;
}

export function planPromotion(projectDir: string, stackNames: readonly string[], args: Pick<PromoteArgs, "from" | "to" | "stacks">): PlannedPromotion[] {
  const pairs = pairStacks(stackNames, args.from, args.to, args.stacks);
  const problems: string[] = [];
  const planned: PlannedPromotion[] = [];
  for (const { source, target } of pairs) {
    const sourceFile = stackFileName(source);
    const targetFile = stackFileName(target);
    const sourceText = readFileSync(join(projectDir, sourceFile), "utf8");
    const targetText = readFileSync(join(projectDir, targetFile), "utf8");
    const pins = [
      ...clusterReleasePins(sourceFile, sourceText).map((pin) => `${sourceFile}: ${pin} pins a release key for one cluster, so the stack has no one release to promote; move it to openclaw-fleet:gateway or drop it`),
      ...clusterReleasePins(targetFile, targetText).map((pin) => `${targetFile}: ${pin} pins a release key, so the promoted release would not reach that cluster; remove the override (the release is the stack's) or leave ${target} out with --stacks`),
    ];
    if (pins.length > 0) {
      problems.push(...pins);
      continue;
    }
    try {
      const release = readRelease(sourceFile, sourceText);
      const changes = releaseChanges(readRelease(targetFile, targetText), release);
      const newText = changes.length > 0 ? writeRelease(targetFile, targetText, release) : targetText;
      if (changes.length > 0) checkTarget(projectDir, target, targetFile, newText);
      planned.push({ source, target, targetFile, changes, newText });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(error.message);
    }
  }
  if (problems.length > 0) throw new InputError(`nothing written:\n${problems.map((problem) => `  ${problem}`).join("\n")}`);
  return planned;
}

/** The target's config with the release in, as the program would load it: a release it would refuse is not written. */
function checkTarget(projectDir: string, target: string, targetFile: string, newText: string): void {
  const { raw, secretKeys, plaintextEntries } = parseStackFile(newText);
  try {
    loadFleetConfig(raw, { secretKeys, plaintextEntries, stack: target, projectDir });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new InputError(`${targetFile} would be refused with this release: ${error.problems.map((p) => `${p.path}: ${p.message}`).join("; ")}`);
  }
}
