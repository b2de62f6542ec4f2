import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, globSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { z } from "zod";
import { loadStackFile } from "../../components/render/renderStack.js";
import { affectedStacks, projectStacks, REVIEW_TEMPLATE_STACK } from "../../deployments/affectedStacks.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const deploymentsDir = join(root, "deployments");

// The `pulumi deployment settings` file: `settings:` holding apitype.DeploymentSettings (pulumi/pulumi
// sdk/go/common/apitype/deployments.go), strict so a misspelt key fails here instead of being dropped by the CLI.
const secretValue = z.union([z.string(), z.strictObject({ secret: z.string() })]);
const settingsFile = z.strictObject({
  settings: z.strictObject({
    tag: z.string().optional(),
    agentPoolID: z.string().optional(),
    executorContext: z.strictObject({ workingDirectory: z.string().optional(), executorImage: z.unknown().optional() }).optional(),
    sourceContext: z.strictObject({
      git: z.strictObject({
        repoURL: z.url(),
        branch: z.string().regex(/^refs\/heads\//, "must be a full ref such as refs/heads/main"),
        repoDir: z.string(),
        commit: z.string().optional(),
        gitAuth: z.unknown().optional(),
      }),
    }),
    gitHub: z.strictObject({
      repository: z.string().regex(/^[\w.-]+\/[\w.-]+$/),
      deployCommits: z.boolean(),
      previewPullRequests: z.boolean(),
      pullRequestTemplate: z.boolean(),
      deployPullRequest: z.int().optional(),
      paths: z.array(z.string()).optional(),
    }),
    operationContext: z.strictObject({
      preRunCommands: z.array(z.string()),
      operation: z.enum(["update", "preview", "destroy", "refresh", "detect-drift", "remediate-drift"]).optional(),
      environmentVariables: z.record(z.string(), secretValue),
      options: z.strictObject({
        skipInstallDependencies: z.boolean().optional(),
        skipIntermediateDeployments: z.boolean().optional(),
        shell: z.string().optional(),
        deleteAfterDestroy: z.boolean().optional(),
        remediateIfDriftDetected: z.boolean().optional(),
      }),
    }),
  }),
});
type SettingsFile = z.infer<typeof settingsFile>;

const files = readdirSync(deploymentsDir).filter((file) => file.endsWith(".yaml"));
const stackOf = (file: string) => /^Pulumi\.([^.]+)\.deploy\.yaml$/.exec(file)?.[1];
const load = (file: string): SettingsFile => settingsFile.parse(parse(readFileSync(join(deploymentsDir, file), "utf8")));
const byStack = Object.fromEntries(files.map((file) => [stackOf(file)!, load(file)]));

describe("Pulumi Deployments settings", () => {
  it("names each settings file as the CLI names it (Pulumi.<stack>.deploy.yaml), for dev, prod and the review template", () => {
    for (const file of files) assert.ok(stackOf(file), `${file} is not Pulumi.<stack>.deploy.yaml`);
    assert.deepEqual(Object.keys(byStack).sort(), ["dev", "pr", "prod"]);
  });

  for (const file of files) {
    describe(file, () => {
      it("parses as deployment settings", () => {
        assert.doesNotThrow(() => load(file));
      });

      it("names an existing stack in an existing project folder of this repository", () => {
        const { git } = load(file).settings.sourceContext;
        const projectDir = join(root, git.repoDir);
        assert.ok(existsSync(projectDir) && statSync(projectDir).isDirectory(), `${git.repoDir} is not a folder`);
        assert.ok(existsSync(join(projectDir, "Pulumi.yaml")), `${git.repoDir} has no Pulumi.yaml`);
        assert.ok(existsSync(join(projectDir, `Pulumi.${stackOf(file)}.yaml`)), `no stack ${stackOf(file)} in ${git.repoDir}`);
        assert.equal(git.branch, "refs/heads/main");
      });

      it("points at the same GitHub repository twice", () => {
        const { settings } = load(file);
        assert.equal(settings.sourceContext.git.repoURL, `https://github.com/${settings.gitHub.repository}.git`);
      });

      it("installs from the lockfiles in the pre-run commands, and skips the executor's own install", () => {
        const { operationContext } = load(file).settings;
        assert.equal(operationContext.preRunCommands[0], "npm ci --no-audit --no-fund");
        assert.ok(operationContext.preRunCommands.includes("npm --prefix policy ci --no-audit --no-fund"));
        assert.ok(existsSync(join(root, "package-lock.json")) && existsSync(join(root, "policy/package-lock.json")));
        assert.equal(operationContext.options.skipInstallDependencies, true);
      });

      it("keeps unreachable clusters' resources in the state", () => {
        assert.equal(load(file).settings.operationContext.environmentVariables.PULUMI_K8S_DELETE_UNREACHABLE, "false");
      });

      it("filters pushes with paths that exist", () => {
        for (const pattern of load(file).settings.gitHub.paths ?? []) assert.ok(globSync(pattern, { cwd: root }).length > 0, pattern);
      });
    });
  }

  it("deploys no stack on push: the GitHub deploy workflow is the one deployer of dev and prod", () => {
    for (const [stack, settings] of Object.entries(byStack)) assert.equal(settings.settings.gitHub.deployCommits, false, stack);
    const workflow = parse(readFileSync(join(root, ".github/workflows/deploy.yml"), "utf8")) as { on: Record<string, unknown>; jobs: Record<string, { steps: { with?: { command?: string; "stack-name"?: string } }[] }> };
    assert.ok("push" in workflow.on);
    const updated = Object.values(workflow.jobs).flatMap((job) => job.steps.filter((step) => step.with?.command === "up").map((step) => step.with!["stack-name"]!.split("/").at(-1)));
    assert.deepEqual(updated, ["dev", "prod"]);
  });

  it("makes `pr` the one review-stack template, destroyed with its pull request", () => {
    const templates = Object.entries(byStack).filter(([, s]) => s.settings.gitHub.pullRequestTemplate).map(([stack]) => stack);
    assert.deepEqual(templates, [REVIEW_TEMPLATE_STACK]);
    const pr = byStack[REVIEW_TEMPLATE_STACK]!.settings;
    assert.equal(pr.gitHub.deployCommits, false);
    assert.equal(pr.operationContext.options.deleteAfterDestroy, true);
    assert.ok(pr.operationContext.preRunCommands.some((c) => c.startsWith("pulumi config set openclaw-fleet:tenant ")));
  });

  it("makes the review stacks throwaway: their destroy deletes the Namespace and claim (retainState false)", () => {
    assert.equal(loadStackFile(root, REVIEW_TEMPLATE_STACK).retainState, false);
    for (const stack of ["dev", "prod"]) assert.equal(loadStackFile(root, stack).retainState, true, stack);
  });

  it("gives review stacks a DNS-label tenant of their own (the pre-run command's shell, on a review stack's name)", () => {
    const command = byStack[REVIEW_TEMPLATE_STACK]!.settings.operationContext.preRunCommands.find((c) => c.startsWith("pulumi config set"))!;
    const tenantExpression = /"(pr-\$\(.*\))"$/.exec(command)![1]!.replace("pulumi stack --show-name", "echo \"$STACK\"");
    const tenant = (stack: string) => execFileSync("bash", ["-c", `echo "${tenantExpression}"`], { env: { ...process.env, STACK: stack }, encoding: "utf8" }).trim();
    assert.equal(tenant("pr-acme-openclaw-fleet-42"), "pr-42");
    assert.notEqual(tenant("pr-acme-openclaw-fleet-42"), tenant("pr-acme-openclaw-fleet-43"));
    for (const stack of ["pr-acme-openclaw-fleet-42", "acme-pr-123456789012345678901234567"]) assert.match(tenant(stack), /^[a-z0-9]([-a-z0-9]{0,28}[a-z0-9])?$/);
  });
});

describe("affected stacks (pull-request preview matrix)", () => {
  const stacks = ["dev", "prod"];

  it("previews the stacks that have deployment settings, without the review-stack template or local-cluster stacks", () => {
    assert.deepEqual(projectStacks(root), ["dev", "prod"]);
    if (existsSync(join(root, "Pulumi.local.yaml"))) assert.ok(!projectStacks(root).includes("local"));
  });

  it("previews only the stack whose settings changed", () => {
    assert.deepEqual(affectedStacks(["Pulumi.prod.yaml"], stacks), ["prod"]);
    assert.deepEqual(affectedStacks(["deployments/Pulumi.dev.deploy.yaml", "README.md"], stacks), ["dev"]);
  });

  it("previews every stack when the program, its dependencies, the policy pack or a workflow change", () => {
    for (const file of ["components/gateway/gateway.ts", "index.ts", "package-lock.json", "Pulumi.yaml", "policy/policies.ts", ".github/workflows/deploy.yml"]) {
      assert.deepEqual(affectedStacks([file], stacks), stacks, file);
    }
  });

  it("previews nothing for documentation, examples, ESC examples and tests", () => {
    assert.deepEqual(affectedStacks(["README.md", "examples/yaml-gateway/Pulumi.yaml", "esc/openclaw-fleet-prod.yaml", "test/operations/policy.test.ts"], stacks), []);
  });

  it("ignores settings of a stack the workflow does not preview", () => {
    assert.deepEqual(affectedStacks(["Pulumi.pr.yaml"], stacks), []);
  });

  it("prints the matrix as JSON from the command line", () => {
    const output = execFileSync(process.execPath, ["--import", "tsx", join(deploymentsDir, "affectedStacks.ts"), "--base", "HEAD", "--head", "HEAD"], { cwd: root, encoding: "utf8" });
    assert.deepEqual(JSON.parse(output), []);
  });
});
