/**
 * What the program refuses, warns about or ignores before anything is deployed, through the real engine: a plaintext
 * API key (issue 17, item 3), the shell's PULUMI_K8S_* variables (item 9), and sizes below what the gateway was
 * measured to use (item 16).
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { CoreV1Api } from "@kubernetes/client-node";
import { PROVIDER_SWITCHES_FLIPPED } from "../fixtures.js";
import { type E2eStack, useStacks } from "./harness.js";

describe("end to end: config guards of pulumi up on the local clusters", function () {
  this.timeout(15 * 60_000);
  const [guarded] = useStacks([{ name: "e2e-guards", tenant: "e2e-guards" }]) as [E2eStack];
  const namespace = "openclaw-e2e-guards";
  const plainValue = `sk-plain-${randomBytes(12).toString("hex")}`;
  const namespaceExists = (index: number) =>
    guarded.clusters[index]!.config.makeApiClient(CoreV1Api)
      .readNamespace({ name: namespace })
      .then(() => true, () => false);

  it("refuses a plaintext API key beside a secret one: preview and up fail naming the entry and the command, and create nothing", async () => {
    await guarded.freshTenant();
    await guarded.setSecretApiKey("ANTHROPIC_API_KEY", `sk-secret-${randomBytes(12).toString("hex")}`);
    // A forgotten --secret: the engine marks `apiKeys` secret as a whole, the stack file shows this entry is not.
    await guarded.stack.setConfig("openclaw-fleet:apiKeys.OPENAI_API_KEY", { value: plainValue, secret: false }, true);
    for (const [name, operation] of [["preview", () => guarded.stack.preview({ color: "never" })], ["up", () => guarded.up()]] as const) {
      await assert.rejects(operation(), (error: Error) => {
        assert.match(error.message, /openclaw-fleet:apiKeys\.OPENAI_API_KEY: is plaintext in the stack config; .*pulumi config set --secret --path 'apiKeys\.OPENAI_API_KEY' <value> --stack e2e-guards/, name);
        assert.doesNotMatch(error.message, new RegExp(plainValue), `${name} printed the plaintext value`);
        return true;
      });
    }
    assert.deepEqual([await namespaceExists(0), await namespaceExists(1)], [false, false], "something was deployed");
    // The command the message names fixes it.
    await guarded.stack.setConfig("openclaw-fleet:apiKeys.OPENAI_API_KEY", { value: plainValue, secret: true }, true);
    const { gateways } = await guarded.up();
    assert.deepEqual(Object.values(gateways).map((gateway) => gateway.rollout.status), ["complete", "complete"]);
  });

  it("computes the same provider inputs whatever PULUMI_K8S_* variables the shell has: with them set the other way, a preview changes nothing", async () => {
    const ambient = PROVIDER_SWITCHES_FLIPPED;
    const envVars = guarded.stack.workspace.envVars;
    Object.assign(envVars, ambient);
    try {
      const preview = await guarded.stack.preview({ color: "never" });
      const changed = Object.entries(preview.changeSummary).filter(([op, count]) => op !== "same" && count > 0);
      assert.deepEqual(changed, [], `the shell's variables changed the plan: ${JSON.stringify(preview.changeSummary)}`);
    } finally {
      for (const name of Object.keys(ambient)) delete envVars[name];
    }
  });

  it("warns outside prod about a memory limit the gateway cannot live in, with the config path, and refuses it in prod before deploying", async () => {
    const tight = { resources: { requests: { cpu: "100m", memory: "768Mi" }, limits: { cpu: "1", memory: "1Gi" } } };
    guarded.write({ gateway: tight });
    const preview = await guarded.stack.preview({ color: "never" });
    assert.match(preview.stdout, /openclaw-fleet:gateway\.resources\.limits\.memory: 1Gi is less than the \d+Mi OpenClaw 2026\.9\.6 needs/);
    assert.match(preview.stdout, /openclaw-fleet:gateway\.resources\.requests\.memory: 768Mi is less than the \d+ MiB recorded for an idle/);
    guarded.write({ environment: "prod", gateway: tight });
    try {
      await assert.rejects(guarded.stack.preview({ color: "never" }), /Invalid stack config \(1 problem\); nothing was deployed:\s+openclaw-fleet:gateway\.resources\.limits\.memory: 1Gi is less than/);
    } finally {
      guarded.write({});
    }
  });
});
