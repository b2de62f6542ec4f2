import assert from "node:assert/strict";
import { createServer, type Server } from "node:net";
import { KubeConfig, type CoreV1Event, type V1Pod } from "@kubernetes/client-node";
import type { ClusterGateway } from "../../components/config/load.js";
import {
  incompleteClusters,
  MAX_WARNING_MESSAGE,
  MAX_WARNINGS_PER_GATEWAY,
  notReadyLines,
  podWarningsOf,
  podWarningsSummary,
  selectPodWarnings,
  shortMessage,
  type PodWarning,
} from "../../components/fleetops/podWarnings.js";

const pod = (name: string, uid: string, status: V1Pod["status"] = {}): V1Pod => ({ metadata: { name, uid }, status });
const event = (reason: string, message: string, uid: string, extra: Partial<CoreV1Event> = {}): CoreV1Event => ({
  metadata: {},
  involvedObject: { kind: "Pod", uid, name: `pod-of-${uid}` },
  type: "Warning",
  reason,
  message,
  ...extra,
});
const at = (iso: string) => new Date(iso);

describe("pod warnings: why a gateway is not ready", () => {
  const pods = [pod("openclaw-t-5d9-aaaaa", "uid-a"), pod("openclaw-t-5d9-bbbbb", "uid-b")];

  it("takes Warning events about pods that exist now: not Normal ones, not a deleted pod's, not another kind's", () => {
    const warnings = selectPodWarnings(
      [
        event("FailedScheduling", "0/1 nodes are available: 1 Insufficient cpu.", "uid-a", { lastTimestamp: at("2026-11-29T10:00:00Z") }),
        event("Scheduled", "assigned", "uid-a", { type: "Normal" }),
        event("BackOff", "Back-off restarting failed container gateway", "uid-gone"),
        { ...event("FailedCreate", "quota exceeded", "uid-a"), involvedObject: { kind: "ReplicaSet", uid: "uid-a" } },
      ],
      pods,
    );
    assert.deepEqual(warnings, [{ reason: "FailedScheduling", message: "0/1 nodes are available: 1 Insufficient cpu.", count: 1, lastSeen: "2026-11-29T10:00:00.000Z", pod: "openclaw-t-5d9-aaaaa" }]);
  });

  it("merges the same reason and message across pods and events, summing counts (count or series) and keeping the newest time and pod", () => {
    const warnings = selectPodWarnings(
      [
        event("Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503", "uid-a", { count: 4, lastTimestamp: at("2026-11-29T10:00:00Z") }),
        // events.k8s.io writers (the scheduler) set series and eventTime, not count and lastTimestamp.
        event("Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503", "uid-b", {
          series: { count: 3, lastObservedTime: at("2026-11-29T10:05:00Z") },
          eventTime: at("2026-11-29T10:01:00Z"),
        }),
      ],
      pods,
    );
    assert.deepEqual(warnings, [{ reason: "Unhealthy", message: "Readiness probe failed: HTTP probe failed with statuscode: 503", count: 7, lastSeen: "2026-11-29T10:05:00.000Z", pod: "openclaw-t-5d9-bbbbb" }]);
  });

  it("keeps the newest few, newest first", () => {
    const events = Array.from({ length: 9 }, (_, i) => event(`Reason${i}`, `message ${i}`, "uid-a", { lastTimestamp: at(`2026-11-29T10:0${i}:00Z`) }));
    const warnings = selectPodWarnings(events, pods);
    assert.equal(warnings.length, MAX_WARNINGS_PER_GATEWAY);
    assert.deepEqual(warnings.map((w) => w.reason), ["Reason8", "Reason7", "Reason6", "Reason5"]);
  });

  it("reports an OOM kill and a container that cannot start from the pod's state (the present first), never its termination message", () => {
    const crashing = pod("openclaw-t-5d9-ccccc", "uid-c", {
      containerStatuses: [
        {
          name: "gateway",
          image: "i",
          imageID: "",
          ready: false,
          restartCount: 5,
          state: { waiting: { reason: "CrashLoopBackOff", message: "back-off 2m40s restarting failed container=gateway pod=openclaw-t-5d9-ccccc_openclaw-t(uid-c)" } },
          // With FallbackToLogsOnError the termination message is the container's last log lines.
          lastState: { terminated: { reason: "OOMKilled", exitCode: 137, finishedAt: at("2026-11-29T10:07:00Z"), message: "GATEWAY_TOKEN=hunter2 in the log" } },
        },
      ],
      initContainerStatuses: [{ name: "restore", image: "i", imageID: "", ready: false, restartCount: 0, state: { waiting: { reason: "PodInitializing" } } }],
    });
    // Older events than the waiting state: the limit keeps the state, which says what the pod is doing now.
    const older = Array.from({ length: 4 }, (_, i) => event(`Old${i}`, "old", "uid-c", { lastTimestamp: at(`2026-11-29T09:0${i}:00Z`) }));
    const all = selectPodWarnings(older, [crashing]);
    assert.deepEqual(all.map((w) => w.reason), ["CrashLoopBackOff", "OOMKilled", "Old3", "Old2"]);
    const warnings = all.slice(0, 2);
    assert.deepEqual(
      warnings.map((w) => [w.reason, w.message, w.pod]),
      [
        ["CrashLoopBackOff", "back-off 2m40s restarting failed container=gateway pod=openclaw-t-5d9-ccccc_openclaw-t(uid-c)", "openclaw-t-5d9-ccccc"],
        ["OOMKilled", "container gateway was killed for exceeding its memory limit (exit 137, restarts 5)", "openclaw-t-5d9-ccccc"],
      ],
    );
    assert.ok(!JSON.stringify(all).includes("hunter2"));
  });

  it("makes a message one bounded line and masks token-shaped runs, keeping names, UIDs and digests readable", () => {
    const token = "aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5oQ7sU9wY1bD3fH5jL7nP9rT1vX3z";
    const digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    const message = shortMessage(`Failed to pull image "ghcr.io/openclaw/openclaw@${digest}":\n  rpc error: Authorization: Bearer ${token}`);
    assert.equal(message, `Failed to pull image "ghcr.io/openclaw/openclaw@${digest}": rpc error: Authorization: Bearer [redacted]`);
    const podName = "openclaw-tenant-5d9f8b7c6-abcde_openclaw-tenant(0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0)";
    assert.equal(shortMessage(`Back-off restarting failed container gateway in pod ${podName}`), `Back-off restarting failed container gateway in pod ${podName}`);
    const long = shortMessage("x ".repeat(500));
    assert.equal(long.length, MAX_WARNING_MESSAGE);
    assert.ok(long.endsWith("..."));
  });

  it("says the warnings in one line for a failed stack's error, and lists not-ready gateways of stacks that did not fail", () => {
    const scheduling: PodWarning = { reason: "FailedScheduling", message: "0/1 nodes are available: 1 Insufficient cpu.", count: 3, lastSeen: null, pod: "p" };
    const backOff: PodWarning = { reason: "BackOff", message: "Back-off pulling image", count: 1, lastSeen: null, pod: "p" };
    assert.equal(podWarningsSummary({ "local-1": [scheduling, backOff], "local-2": [] }), "pod warnings: local-1: FailedScheduling x3: 0/1 nodes are available: 1 Insufficient cpu.; BackOff: Back-off pulling image");
    assert.equal(podWarningsSummary({}), undefined);
    const cell = (cluster: string, warnings: PodWarning[]) => ({ cluster, rollout: warnings.length ? "progressing" : "complete", warnings });
    assert.deepEqual(
      notReadyLines([
        { stack: "canary", result: "failed", clusters: [cell("local-1", [scheduling])] },
        { stack: "acme", result: "succeeded", clusters: [cell("local-1", []), cell("local-2", [scheduling])] },
      ]),
      ["  acme/local-2 progressing: FailedScheduling x3: 0/1 nodes are available: 1 Insufficient cpu."],
    );
  });

  it("explains the gateways whose rollout is not complete, including those without a rollout", () => {
    assert.deepEqual(incompleteClusters({ a: { rollout: { status: "complete" } }, b: { rollout: { status: "progressing" } }, c: { rollout: { status: "missing" } }, d: {} }), ["b", "c", "d"]);
    assert.deepEqual(incompleteClusters(undefined), []);
  });

  describe("read from clusters", () => {
    let server: Server;
    let port: number;
    before(async () => {
      // An API server that accepts the connection and closes it: a cluster that does not answer.
      server = createServer((socket) => socket.destroy());
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      port = (server.address() as { port: number }).port;
    });
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it("leaves out a cluster that does not answer or whose kubeconfig does not load, instead of failing", async () => {
      const gateway = (cluster: string) => ({ cluster, namespace: "openclaw-t" }) as ClusterGateway;
      const config = new KubeConfig();
      config.loadFromOptions({
        clusters: [{ name: "c", server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
        users: [{ name: "u" }],
        contexts: [{ name: "x", cluster: "c", user: "u" }],
        currentContext: "x",
      });
      const asked: string[] = [];
      const read = await podWarningsOf([gateway("down"), gateway("broken"), gateway("complete")], ["down", "broken"], (g) => {
        asked.push(g.cluster);
        if (g.cluster === "broken") throw new Error("bad kubeconfig");
        return config;
      });
      assert.deepEqual(read, {});
      assert.deepEqual(asked.sort(), ["broken", "down"]);
    });
  });
});
