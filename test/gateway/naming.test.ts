import assert from "node:assert/strict";
import { ownershipAnnotations, ownershipLabels, stackOwnerValue } from "../../components/gateway/naming.js";
import { gatewayContext } from "../fixtures.js";

describe("gateway ownership naming", () => {
  const owned = (stack: string, project?: string, organization?: string) => ({ ...gatewayContext(), stack, ...(project ? { project } : {}), ...(organization ? { organization } : {}) });

  it("tells apart two projects' stacks of the same name, in the owner label and the field manager", () => {
    const a = owned("prod", "payments");
    const b = owned("prod", "search");
    assert.notEqual(ownershipLabels(a)["openclaw.ai/owner"], ownershipLabels(b)["openclaw.ai/owner"]);
    assert.notEqual(ownershipAnnotations(a)["pulumi.com/patchFieldManager"], ownershipAnnotations(b)["pulumi.com/patchFieldManager"]);
    assert.equal(ownershipAnnotations(a)["pulumi.com/patchFieldManager"], "openclaw-fleet-stack-payments.prod");
    // The bare stack label is what existing stacks applied: it keeps its value.
    assert.equal(ownershipLabels(a)["openclaw.ai/stack"], "prod");
  });

  it("keeps this project's stacks on the manager they were deployed with, qualifying a dotted stack name", () => {
    assert.equal(ownershipAnnotations(owned("prod", "openclaw-fleet"))["pulumi.com/patchFieldManager"], "openclaw-fleet-stack-prod");
    assert.equal(ownershipAnnotations(owned("prod", "openclaw-fleet", "acme"))["pulumi.com/patchFieldManager"], "openclaw-fleet-stack-prod");
    // Bare, `payments.prod` would be project payments' stack prod.
    assert.notEqual(ownershipAnnotations(owned("payments.prod", "openclaw-fleet"))["pulumi.com/patchFieldManager"], ownershipAnnotations(owned("prod", "payments"))["pulumi.com/patchFieldManager"]);
    // The owner label is new on every object, so it is always fully qualified.
    assert.equal(ownershipLabels(owned("prod", "openclaw-fleet", "acme"))["openclaw.ai/owner"], "acme.openclaw-fleet.prod");
  });

  it("keeps the bare stack name as manager where asked (the multi-language component's stacks had it), still qualifying the owner label", () => {
    const component = { ...owned("prod", "payments"), stackOnlyFieldManager: true };
    assert.equal(ownershipAnnotations(component)["pulumi.com/patchFieldManager"], "openclaw-fleet-stack-prod");
    assert.equal(ownershipLabels(component)["openclaw.ai/owner"], "payments.prod");
  });

  it("qualifies with the organization where there is one, and not with the DIY backends' placeholder", () => {
    assert.equal(stackOwnerValue({ stack: "prod", project: "fleet", organization: "acme" }), "acme.fleet.prod");
    assert.equal(stackOwnerValue({ stack: "prod", project: "fleet", organization: "organization" }), "fleet.prod");
    assert.notEqual(stackOwnerValue({ stack: "prod", project: "fleet", organization: "acme" }), stackOwnerValue({ stack: "prod", project: "fleet", organization: "globex" }));
  });

  it("hashes names whose dots would make the joined form ambiguous, and stays a valid label value", () => {
    const left = stackOwnerValue({ stack: "c", project: "a.b" });
    const right = stackOwnerValue({ stack: "b.c", project: "a" });
    assert.notEqual(left, right);
    const long = stackOwnerValue({ stack: "s".repeat(60), project: "p".repeat(60), organization: "o".repeat(60) });
    for (const value of [left, right, long]) assert.match(value, /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/);
  });

  it("labels nothing when the owning stack is unknown", () => {
    assert.deepEqual(ownershipLabels(gatewayContext()), {});
    assert.deepEqual(ownershipAnnotations(gatewayContext()), {});
  });
});
