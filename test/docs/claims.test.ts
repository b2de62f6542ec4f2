import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { resultsSchema, spread } from "../../bench/results.js";
import { projectDir } from "../../components/automation/localPulumi.js";

const pages = ["README.md", ...readdirSync(join(projectDir, "docs")).filter((name) => name.endsWith(".md")).map((name) => `docs/${name}`)];
const read = (page: string) => readFileSync(join(projectDir, page), "utf8");

const results = resultsSchema.parse(JSON.parse(read("bench/results.json")));
const figure = (id: string) => results.figures.find((f) => f.id === id)!;
const seconds = (value: number) => value.toFixed(2);

/** Every `run:` command of the GitHub Actions workflows. */
function workflowCommands(): string[] {
  const dir = join(projectDir, ".github/workflows");
  return readdirSync(dir)
    .filter((file) => /\.ya?ml$/.test(file))
    .flatMap((file) => Object.values((parse(readFileSync(join(dir, file), "utf8")) as { jobs: Record<string, { steps?: { run?: string }[] }> }).jobs))
    .flatMap((job) => (job.steps ?? []).map((step) => step.run).filter((run): run is string => run !== undefined));
}

describe("documentation claims", () => {
  describe("figures: bench/results.json is their one source", () => {
    it("performance.md's last numbers are results.json's, figure by figure", () => {
      const page = read("docs/performance.md");
      for (const each of results.figures) {
        const line = page.split("\n").find((text) => text.startsWith(each.title));
        assert.ok(line, `performance.md has no line for ${each.title}`);
        assert.ok(line.includes(spread(each.measured.summary)) && line.includes(spread(each.baseline.summary)), `${each.title}: ${line}`);
      }
    });

    it("the README's type-check row is results.json's", () => {
      const row = read("README.md").split("\n").find((text) => text.startsWith("| type-check |"));
      const typecheck = figure("typecheck");
      assert.ok(row?.includes(`${seconds(typecheck.measured.summary.median)} s`) && row.includes(`${seconds(typecheck.baseline.summary.median)} s`), row);
    });

    it("no other page quotes a type-check time (they link performance.md instead)", () => {
      const time = /\b\d[\d,]*(\.\d+)?\s?(ms|s)\b/;
      for (const page of pages.filter((p) => p !== "README.md" && p !== "docs/performance.md")) {
        for (const line of read(page).split("\n").filter((text) => /type-check|TypeScript \d/.test(text))) {
          assert.doesNotMatch(line, time, `${page} quotes a type-check time: ${line}`);
        }
      }
    });
  });

  describe("CI: what the pages say runs in GitHub Actions is what the workflows run", () => {
    it("never says just \"CI runs\": each claim names `.ci/run` or GitHub Actions", () => {
      for (const page of pages) {
        const found = read(page).split("\n").filter((line) => /(?<![./`\w])(?<![Ww]hich )CI runs?\b/.test(line));
        assert.deepEqual(found, [], `${page} says "CI runs" without naming which CI`);
      }
    });

    it("the workflows run the type-check, the unit tests and check-config, and none of the suites testing.md says they do not", () => {
      const commands = workflowCommands().join("\n");
      for (const command of ["npm run typecheck", "npm test", "npm run check-config"]) assert.ok(commands.includes(command), `no workflow runs ${command}`);
      for (const suite of ["test:gateway", "test:cluster", "test:e2e", "test:live", "test:report", "npm run bench", ".ci/run"]) {
        assert.ok(!commands.includes(suite), `a workflow runs ${suite}: update docs/testing.md, "Which CI runs what"`);
      }
      const table = read("docs/testing.md");
      assert.match(table, /\| `npm run test:report`, `npm run test:gateway`, `npm run test:cluster`, `npm run test:e2e`, `npm run test:live`, `npm run bench -- --quick` \| \*\*no\*\*/);
    });

    it(".ci/run runs every suite the pages say it runs", () => {
      const script = read(".ci/run");
      for (const suite of ["npm test", "npm run test:report", "npm run test:gateway", "npm run test:cluster", "npm run test:e2e", "npm run test:live", "npm run bench -- --quick"]) {
        assert.ok(script.includes(suite), `.ci/run does not run ${suite}`);
      }
    });
  });
});
