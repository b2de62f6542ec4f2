import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { allRecords, type UrnRecord } from "./urnRecords.js";

/** Generated from the program before the gateway's objects became one list (issue 19, item 0). */
const fixture = JSON.parse(readFileSync(new URL("./fixtures/urns.json", import.meta.url), "utf8")) as Record<string, UrnRecord[]>;

describe("gateway URNs (existing stacks upgrade with nothing to do)", () => {
  let current: Record<string, UrnRecord[]>;
  before(async function () {
    this.timeout(60_000);
    current = await allRecords();
  });

  for (const scenario of Object.keys(fixture)) {
    describe(`the ${scenario} stack`, () => {
      it("registers exactly the URNs (type, name, parent chain) the earlier program registered", () => {
        assert.deepEqual(
          current[scenario]!.map((record) => record.urn),
          fixture[scenario]!.map((record) => record.urn),
        );
      });
      it("gives each resource the provider, dependencies, protect, retainOnDelete, ignoreChanges and aliases it had", () => {
        const now = new Map(current[scenario]!.map((record) => [record.urn, record]));
        for (const before of fixture[scenario]!) assert.deepEqual(now.get(before.urn), before, before.urn);
      });
    });
  }

  it("covers what the stacks may hold: retained and protected claims, Ingresses, NetworkPolicies, aliases, the multi-language component", () => {
    const all = Object.values(fixture).flat();
    const has = (suffix: string) => all.some((record) => record.urn.endsWith(suffix));
    for (const suffix of ["alpha-backup", "alpha-state", "alpha-ingress", "alpha-network-policy", "alpha-disruption-budget", "demo-deployment"]) assert.ok(has(suffix), suffix);
    assert.ok(all.some((record) => record.protect && record.retainOnDelete));
    assert.ok(all.some((record) => !record.protect && !record.retainOnDelete && record.urn.endsWith("::alpha-namespace")), "a throwaway stack's Namespace");
    assert.ok(all.some((record) => JSON.stringify(record.aliases).includes("old-beta-deployment")), "a renamed cluster's aliases");
  });
});
