/**
 * Which source stack each target stack takes its release from: `<tenant>-<from>` -> `<tenant>-<to>`, and the bare
 * `<from>` -> `<to>` (this repository's `dev` -> `stage`). Pairing by name keeps a tenant's release its own: one
 * tenant's dev never reaches another tenant's stage. Every selected target needs its source; a source without a
 * target is not promoted (the target stack is created by hand, with its environment keys, first).
 */
import { matchesGlob } from "node:path";
import { InputError } from "../config/errors.js";
import type { PromotionEnvironment } from "./promoteArgs.js";

export interface StackPair {
  source: string;
  target: string;
}

/** The stack's name for another environment, or undefined when the name is not of `environment`. */
export function counterpart(stack: string, environment: PromotionEnvironment, other: PromotionEnvironment): string | undefined {
  if (stack === environment) return other;
  return stack.endsWith(`-${environment}`) ? `${stack.slice(0, -environment.length)}${other}` : undefined;
}

/** The pairs to promote among the project's stack names; an input error when none, or a target lacks its source. */
export function pairStacks(stackNames: readonly string[], from: PromotionEnvironment, to: PromotionEnvironment, glob?: string): StackPair[] {
  const names = new Set(stackNames);
  const targets = stackNames.filter((name) => counterpart(name, to, from) !== undefined && (glob === undefined || matchesGlob(name, glob))).sort();
  if (targets.length === 0) {
    const wanted = glob !== undefined ? ` matching --stacks ${glob}` : "";
    throw new InputError(`no ${to} stack${wanted}: a target is Pulumi.${to}.yaml or Pulumi.<tenant>-${to}.yaml; create it with its environment keys first`);
  }
  const orphans = targets.filter((target) => !names.has(counterpart(target, to, from)!));
  if (orphans.length > 0) {
    throw new InputError(
      `${orphans.map((target) => `${target} has no source stack ${counterpart(target, to, from)}`).join("; ")}: ` +
        `a release comes from the same tenant's ${from} stack; create it, or leave the target out with --stacks`,
    );
  }
  return targets.map((target) => ({ source: counterpart(target, to, from)!, target }));
}
