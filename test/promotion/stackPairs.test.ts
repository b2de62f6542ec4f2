import assert from "node:assert/strict";
import { InputError } from "../../components/config/errors.js";
import { pairStacks } from "../../components/promotion/stackPairs.js";

describe("promotion stack pairs", () => {
  const names = ["dev", "stage", "prod", "local", "acme-dev", "acme-stage", "beta-dev", "beta-stage", "gamma-dev", "devtools-stage-x"];

  it("pairs each tenant's stacks by name, and the bare dev with stage", () => {
    assert.deepEqual(pairStacks(names, "dev", "stage"), [
      { source: "acme-dev", target: "acme-stage" },
      { source: "beta-dev", target: "beta-stage" },
      { source: "dev", target: "stage" },
    ]);
  });

  it("selects targets by --stacks", () => {
    assert.deepEqual(pairStacks(names, "dev", "stage", "beta-*"), [{ source: "beta-dev", target: "beta-stage" }]);
  });

  it("refuses a target without its source, naming the missing stack", () => {
    assert.throws(() => pairStacks(["acme-stage", "acme-dev", "solo-stage"], "dev", "stage"), (error: Error) => error instanceof InputError && /solo-stage has no source stack solo-dev/.test(error.message));
  });

  it("refuses when no target matches", () => {
    assert.throws(() => pairStacks(names, "stage", "prod", "acme-*"), /no prod stack matching --stacks acme-\*/);
    assert.throws(() => pairStacks(["acme-dev"], "dev", "stage"), /no stage stack: a target is Pulumi\.stage\.yaml or Pulumi\.<tenant>-stage\.yaml/);
  });
});
