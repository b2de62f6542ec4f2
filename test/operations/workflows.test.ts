import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const workflowsDir = join(root, ".github/workflows");
const validator = join(root, "node_modules/.bin/action-validator");

type Step = { uses?: string; run?: string; with?: Record<string, unknown>; id?: string };
type Job = {
  needs?: string | string[];
  if?: string;
  environment?: string;
  permissions?: Record<string, string>;
  concurrency?: { group: string; "cancel-in-progress": boolean };
  strategy?: { matrix: Record<string, unknown> };
  steps: Step[];
};
type Workflow = { on: Record<string, any>; permissions?: Record<string, string>; concurrency?: { group: string }; jobs: Record<string, Job> };

const load = (file: string): Workflow => parse(readFileSync(join(workflowsDir, file), "utf8"));
const needs = (job: Job) => (job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs]);
const usesIndex = (job: Job, action: string) => job.steps.findIndex((step) => step.uses?.split("@")[0] === action);
const pulumiCommands = (job: Job) => job.steps.filter((s) => s.uses?.startsWith("pulumi/actions@") && s.with?.command).map((s) => s.with!.command);

function validate(file: string) {
  return spawnSync(process.execPath, [validator, file], { encoding: "utf8" });
}

describe("GitHub Actions workflows", () => {
  const files = readdirSync(workflowsDir).filter((file) => /\.ya?ml$/.test(file));

  it("are the pull-request, deploy and promote workflows", () => {
    assert.deepEqual(files.sort(), ["deploy.yml", "promote.yml", "pull-request.yml"]);
  });

  for (const file of files) {
    it(`${file} passes action-validator (the workflow JSON schema, globs)`, () => {
      const result = validate(join(workflowsDir, file));
      assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
    });
  }

  it("action-validator rejects a workflow with a misspelt key, so the check above is live", () => {
    const broken = readFileSync(join(workflowsDir, "deploy.yml"), "utf8").replace("runs-on: ubuntu-latest", "runs_on: ubuntu-latest");
    const file = join(mkdtempSync(join(tmpdir(), "workflow-")), "broken.yml");
    writeFileSync(file, broken);
    const result = validate(file);
    assert.notEqual(result.status, 0);
    assert.match(`${result.stdout}${result.stderr}`, /runs_on/);
  });

  it("never uses a long-lived Pulumi token: OIDC with Pulumi's auth action before any Pulumi step", () => {
    for (const file of files) {
      const text = readFileSync(join(workflowsDir, file), "utf8");
      assert.doesNotMatch(text, /PULUMI_ACCESS_TOKEN|secrets\./, file);
      for (const [name, job] of Object.entries(load(file).jobs)) {
        const firstPulumi = job.steps.findIndex((s) => /^pulumi\/(actions|esc-action)@/.test(s.uses ?? ""));
        if (firstPulumi === -1) continue;
        assert.equal(job.permissions?.["id-token"], "write", `${file} ${name}`);
        const auth = usesIndex(job, "pulumi/auth-actions");
        assert.ok(auth !== -1 && auth < firstPulumi, `${file} ${name}: pulumi/auth-actions must come first`);
        const authStep = job.steps[auth]!;
        assert.equal(authStep.with?.["requested-token-type"], "urn:pulumi:token-type:access_token:organization");
      }
      // Read-only by default; a job asks for what it needs.
      assert.deepEqual(load(file).permissions, { contents: "read" }, file);
    }
  });

  describe("pull-request", () => {
    const workflow = load("pull-request.yml");

    it("runs on pull requests to main", () => {
      assert.deepEqual(workflow.on.pull_request.branches, ["main"]);
    });

    it("type-checks and runs npm test before any preview", () => {
      const runs = workflow.jobs.test!.steps.map((s) => s.run).filter(Boolean);
      assert.ok(runs.indexOf("npm run typecheck") < runs.indexOf("npm test") && runs.includes("npm run typecheck"));
      assert.ok(needs(workflow.jobs.preview!).includes("test"));
    });

    it("previews every affected stack, as computed by deployments/affectedStacks.ts, with a PR comment", () => {
      const preview = workflow.jobs.preview!;
      assert.ok(needs(preview).includes("affected"));
      assert.equal(preview.strategy!.matrix.stack, "${{ fromJSON(needs.affected.outputs.stacks) }}");
      assert.match(workflow.jobs.affected!.steps.find((s) => s.id === "affected")!.run!, /deployments\/affectedStacks\.ts --base/);
      const step = preview.steps.find((s) => s.uses?.startsWith("pulumi/actions@"))!;
      assert.equal(step.with!.command, "preview");
      assert.equal(step.with!["comment-on-pr"], true);
      assert.equal(step.with!["stack-name"], "${{ vars.PULUMI_ORG }}/${{ matrix.stack }}");
      assert.equal(preview.permissions!["pull-requests"], "write");
    });

    it("runs the policy pack on the preview, installed from its lockfile", () => {
      const preview = workflow.jobs.preview!;
      const step = preview.steps.find((s) => s.uses?.startsWith("pulumi/actions@"))!;
      assert.equal(step.with!.policyPacks, "policy");
      const install = preview.steps.findIndex((s) => s.run?.startsWith("npm --prefix policy ci"));
      assert.ok(install !== -1 && install < preview.steps.indexOf(step));
    });

    it("never updates a stack", () => {
      for (const job of Object.values(workflow.jobs)) assert.deepEqual(pulumiCommands(job).filter((c) => c !== "preview"), []);
    });
  });

  describe("deploy", () => {
    const workflow = load("deploy.yml");

    it("runs on pushes to main", () => {
      assert.deepEqual(workflow.on.push.branches, ["main"]);
    });

    it("updates dev after the tests, then prod after dev, behind the prod environment's approval", () => {
      assert.deepEqual(pulumiCommands(workflow.jobs["up-dev"]!), ["up"]);
      assert.deepEqual(pulumiCommands(workflow.jobs["up-prod"]!), ["up"]);
      assert.deepEqual(needs(workflow.jobs["up-dev"]!), ["test"]);
      assert.deepEqual(needs(workflow.jobs["up-prod"]!), ["up-dev"]);
      assert.equal(workflow.jobs["up-prod"]!.environment, "prod");
      const stackOf = (job: string) => workflow.jobs[job]!.steps.find((s) => s.with?.command === "up")!.with!["stack-name"];
      assert.equal(stackOf("up-dev"), "${{ vars.PULUMI_ORG }}/dev");
      assert.equal(stackOf("up-prod"), "${{ vars.PULUMI_ORG }}/prod");
    });

    it("queues rather than overlaps two updates of one stack: one concurrency group per stack, never cancelled", () => {
      const groups = new Set<string>();
      for (const [name, job] of Object.entries(workflow.jobs)) {
        const up = job.steps.find((s) => s.with?.command === "up");
        if (!up) continue;
        const stack = String(up.with!["stack-name"]).split("/").pop();
        assert.equal(job.concurrency?.group, `pulumi-stack-${stack}`, name);
        assert.equal(job.concurrency?.["cancel-in-progress"], false, name);
        groups.add(job.concurrency!.group);
      }
      assert.equal(groups.size, 2);
      // A workflow-level group would serialize the whole run, or cancel an update midway: none.
      assert.equal(workflow.concurrency, undefined);
    });

    it("enforces the policy pack on every update", () => {
      for (const job of ["up-dev", "up-prod"]) {
        const up = workflow.jobs[job]!.steps.find((s) => s.with?.command === "up")!;
        assert.equal(up.with!.policyPacks, "policy", job);
      }
    });

    it("opens each stack's ESC environment, one that esc/ defines", () => {
      for (const [job, stack] of [["up-dev", "dev"], ["up-prod", "prod"]] as const) {
        const esc = workflow.jobs[job]!.steps.find((s) => s.uses?.startsWith("pulumi/esc-action@"))!;
        assert.equal(esc.with!.environment, `\${{ vars.PULUMI_ORG }}/openclaw-fleet/${stack}`);
        assert.ok(readdirSync(join(root, "esc")).includes(`openclaw-fleet-${stack}.yaml`));
      }
    });
  });

  describe("promote", () => {
    const workflow = load("promote.yml");
    const job = workflow.jobs.promote!;

    it("runs by hand, from an environment to the next one", () => {
      assert.deepEqual(Object.keys(workflow.on), ["workflow_dispatch"]);
      assert.deepEqual(workflow.on.workflow_dispatch.inputs.from.options, ["dev", "stage"]);
      assert.deepEqual(workflow.on.workflow_dispatch.inputs.to.options, ["stage", "prod"]);
    });

    it("runs npm run promote with the inputs passed through the environment, never into the script", () => {
      const step = job.steps.find((s) => s.id === "promote")! as Step & { env?: Record<string, string> };
      assert.match(step.run!, /^npm run --silent promote -- --from "\$FROM" --to "\$TO"/);
      assert.doesNotMatch(step.run!, /\$\{\{/);
      assert.equal(step.env!.FROM, "${{ inputs.from }}");
      // Pulumi Cloud is the state backend the gates read, after the OIDC login.
      assert.equal((job as Job & { env?: Record<string, string> }).env?.PULUMI_BACKEND_URL, "https://api.pulumi.com");
      assert.ok(usesIndex(job, "pulumi/auth-actions") !== -1 && usesIndex(job, "pulumi/auth-actions") < job.steps.indexOf(step));
      assert.equal(job.permissions?.["id-token"], "write");
    });

    it("opens a pull request of the stack files only, with the promotion's diff as its body, and never updates a stack", () => {
      const pr = job.steps[usesIndex(job, "peter-evans/create-pull-request")]!;
      assert.ok(job.steps.indexOf(pr) > job.steps.findIndex((s) => s.id === "promote"));
      assert.equal(pr.with!["add-paths"], "Pulumi.*.yaml");
      assert.equal(pr.with!["body-path"], "promotion.txt");
      assert.match(job.steps.find((s) => s.id === "promote")!.run!, /\| tee promotion\.txt$/);
      assert.deepEqual({ contents: job.permissions?.contents, "pull-requests": job.permissions?.["pull-requests"] }, { contents: "write", "pull-requests": "write" });
      assert.deepEqual(pulumiCommands(job), []);
    });
  });
});
