/**
 * Which stacks a change affects, for the pull-request workflow's preview matrix:
 * `npx tsx deployments/affectedStacks.ts --base origin/main [--head HEAD]` prints a JSON list of stack names.
 * A change to one stack's settings (Pulumi.<stack>.yaml, its deployment settings) affects that stack; a change
 * to the program, its dependencies, the policy pack or the workflows affects every stack; documentation,
 * examples, ESC examples and tests none.
 */
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

/** Paths that never change what a stack deploys. */
const NO_STACK = [/^README\.md$/, /^examples\//, /^esc\//, /^bench\//, /^\.github\/(?!workflows\/)/, /^rendered\//, /^test\//, /^tools\//, /\.md$/];

/** The review-stack template (deployments/Pulumi.pr.deploy.yaml): Pulumi Deployments previews pull requests with it. */
export const REVIEW_TEMPLATE_STACK = "pr";

/**
 * The stacks the pull-request workflow previews: those that live in Pulumi Cloud, i.e. have deployment settings
 * here (deployments/Pulumi.<stack>.deploy.yaml), except the review-stack template. Stacks for local clusters
 * (Pulumi.local.yaml) have none: no runner can reach their clusters.
 */
export function projectStacks(projectDir: string): string[] {
  const stackFiles = new Set(readdirSync(projectDir));
  return readdirSync(join(projectDir, "deployments"))
    .map((file) => /^Pulumi\.([^.]+)\.deploy\.yaml$/.exec(file)?.[1])
    .filter((stack): stack is string => stack !== undefined && stack !== REVIEW_TEMPLATE_STACK && stackFiles.has(`Pulumi.${stack}.yaml`))
    .sort();
}

export function affectedStacks(changedFiles: readonly string[], stacks: readonly string[]): string[] {
  const affected = new Set<string>();
  for (const file of changedFiles) {
    const stackFile = /^Pulumi\.([^.]+)\.yaml$/.exec(file) ?? /^deployments\/Pulumi\.([^.]+)\.deploy\.yaml$/.exec(file);
    if (stackFile) {
      if (stacks.includes(stackFile[1]!)) affected.add(stackFile[1]!);
      continue;
    }
    if (NO_STACK.some((pattern) => pattern.test(file))) continue;
    return [...stacks];
  }
  return stacks.filter((stack) => affected.has(stack));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { base: { type: "string", default: "origin/main" }, head: { type: "string", default: "HEAD" } } });
  const projectDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
  const changed = execFileSync("git", ["diff", "--name-only", `${values.base}...${values.head}`], { cwd: projectDir, encoding: "utf8" })
    .split("\n")
    .filter(Boolean);
  console.log(JSON.stringify(affectedStacks(changed, projectStacks(projectDir))));
}
