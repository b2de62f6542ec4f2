/**
 * `npm run recover` through the real engine: an update killed outright (its lock and pending creates left
 * behind) is recovered, and an update that still runs is never cancelled under it.
 */
import assert from "node:assert/strict";
import { execFile, spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { V1PersistentVolumeClaim } from "@kubernetes/client-node";
import { projectDir } from "../../components/automation/localPulumi.js";
import { type E2eStack, useStacks } from "./harness.js";

/** `pulumi up` as a user's shell runs it, outside the Automation API, so the test can signal its process. */
function startUp(stack: E2eStack): ChildProcessWithoutNullStreams {
  const env = { ...process.env, ...stack.stack.workspace.envVars };
  const child = spawn(stack.stack.workspace.pulumiCommand.command, ["up", "--yes", "--skip-preview", "--non-interactive", "--stack", stack.name], { cwd: projectDir, env });
  // Drained, so a full pipe never blocks the update.
  child.stderr.resume();
  return child;
}

/** Resolves with the output so far once it matches (the update is at that step). */
function outputReaches(child: ChildProcessWithoutNullStreams, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (pattern.test(output)) {
        child.stdout.off("data", onData);
        child.stdout.resume();
        resolve(output);
      }
    };
    child.stdout.on("data", onData);
    child.once("exit", (code) => reject(new Error(`pulumi up exited (${code}) before ${pattern}:\n${output}`)));
  });
}

const exited = (child: ChildProcessWithoutNullStreams) =>
  new Promise<number | null>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(child.exitCode) : child.once("exit", (code) => resolve(code))));

/** `npm run recover` as a user runs it, with the stack's engine settings; never throws. */
function recover(stack: E2eStack): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, ...stack.stack.workspace.envVars };
  return new Promise((resolve) =>
    execFile(process.execPath, ["--import", "tsx", join(projectDir, "scripts/recover.ts"), "--stack", stack.name], { cwd: projectDir, env, encoding: "utf8" }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

/** The lock files of the stack in its file backend (one per running or dead update). */
function lockFiles(stack: E2eStack): string[] {
  const dir = join(stack.stateDir, ".pulumi", "locks", "organization", "openclaw-fleet", stack.name);
  return existsSync(dir) ? readdirSync(dir).filter((file) => file.endsWith(".json")) : [];
}

describe("end to end: an update killed midway, recovered with `npm run recover`", function () {
  this.timeout(10 * 60_000);
  const [stack] = useStacks([{ name: "e2e-interrupted", tenant: "e2e-int" }]) as [E2eStack];

  it("leaves its lock and objects the state does not own; recover removes that dead lock, imports them; up converges on the same claim", async () => {
    // A run of this scenario that failed leaves objects no state owns: start from an empty tenant.
    await stack.freshTenant();
    await stack.up();
    const claim = await stack.live<V1PersistentVolumeClaim>("local-1", "PersistentVolumeClaim");
    await stack.destroy(); // the claim and Namespace stay: the next up creates everything else again

    // A `pulumi up` killed (SIGKILL, as a runner losing its machine) while the Services are being created.
    const up = startUp(stack);
    const killed = await outputReaches(up, /kubernetes:core\/v1:Service \S+ creating/);
    up.kill("SIGKILL");
    await exited(up);
    assert.match(killed, /Service \S+ creating/);
    assert.equal(lockFiles(stack).length, 1, "the killed update left no lock behind");
    // SIGKILL can cut the file backend's checkpoint mid-write (it is written in place); recover restores the
    // backend's previous one then, so this export may fail here.
    const exported = await stack.cli(["stack", "export"]).then((text) => JSON.parse(text) as { deployment: { pending_operations?: { type: string }[] } }, () => undefined);
    if (exported) assert.ok((exported.deployment.pending_operations ?? []).some((operation) => operation.type === "creating"), "the killed update left no pending create");

    const recovered = await recover(stack);
    assert.equal(recovered.code, 0, `recover failed:\n${recovered.stdout}\n${recovered.stderr}`);
    assert.match(recovered.stdout, new RegExp(`removed the lock of \\S+ \\(pid ${up.pid},`));
    assert.match(recovered.stdout, /object\(s\) imported/);
    assert.deepEqual(lockFiles(stack), []);
    assert.equal((JSON.parse(await stack.cli(["stack", "export"])).deployment.pending_operations ?? []).length, 0);

    const { gateways } = await stack.up();
    for (const gateway of Object.values(gateways)) assert.equal(gateway.image, stack.model().gateways[0]!.settings.image);
    assert.equal((await stack.live<V1PersistentVolumeClaim>("local-1", "PersistentVolumeClaim")).metadata!.uid, claim.metadata!.uid, "the tenant's claim was replaced");
    const again = await stack.up();
    assert.deepEqual(again.changed(), [], "a second up after recovery still changes something");
  });

  it("refuses while the update that holds the lock still runs, naming its process, and leaves the update to finish", async () => {
    await stack.destroy();
    const up = startUp(stack);
    try {
      await outputReaches(up, /kubernetes:core\/v1:Service \S+ creating/);
      // Stopped, the update still holds its lock and will carry on: exactly what recover must not cancel.
      up.kill("SIGSTOP");
      const refused = await recover(stack);
      assert.notEqual(refused.code, 0, `recover went ahead under a running update:\n${refused.stdout}`);
      assert.match(refused.stderr, new RegExp(`still running: \\S+ \\(pid ${up.pid},`));
      assert.doesNotMatch(refused.stdout, /imported|removed the lock/);
      assert.equal(lockFiles(stack).length, 1, "recover removed a live update's lock");
    } finally {
      up.kill("SIGCONT");
    }
    assert.equal(await exited(up), 0, "the update recover left alone did not finish");
    assert.deepEqual(lockFiles(stack), []);
    assert.deepEqual((await stack.up()).changed(), []);
  });
});
