/** A fake fleet's outcomes for the report tests: three tenants in two rings, a failed canary, a stack never started. */
import { DEFAULT_IMAGE } from "../../components/config/versions.js";
import type { StackObservation } from "../../components/fleetops/fleetReport.js";
import type { StackOutcome } from "../../components/fleetops/ringSchedule.js";
import type { FleetStack } from "../../components/fleetops/stackDiscovery.js";

/** Looks like a gateway token; the tests assert it never reaches a report. */
export const FAKE_TOKEN = "tok_9f8e7d6c5b4a39281706f5e4d3c2b1a0ZZsecretZZ";

const stack = (name: string, ring: number, clusters: string[]): FleetStack => ({ name, ring, tenant: name.split("-")[0]!, environment: "prod", clusters, image: DEFAULT_IMAGE, clustersPinningImage: [], clustersUndoingUpgrade: [] });

const gateway = (cluster: string, wave: number, status: string, image = "ghcr.io/openclaw/openclaw:2026.9.7-slim") => ({
  cluster,
  region: `${cluster}-1`,
  wave,
  namespace: "openclaw-x",
  image,
  configHash: "abc",
  serviceUrl: "http://openclaw-x.openclaw-x.svc.cluster.local:18789",
  url: null,
  backupClaim: null,
  restoreArchive: null,
  rollout: { status, generation: 2, observedGeneration: 2, replicas: 1, readyReplicas: status === "complete" ? 1 : 0, updatedReplicas: 1, availableReplicas: 0 },
  // Whatever else an output holds stays out of the report: the builder takes known fields only.
  token: FAKE_TOKEN,
});

export const CANARY_ERROR = `eu-west-deployment: 1 error occurred: * the Kubernetes API server reported that "openclaw-canary/openclaw-canary" failed to fully initialize or become live: <script>alert("x")</script> & more`;

export function fakeOutcomes(): StackOutcome<FleetStack, StackObservation>[] {
  return [
    {
      stack: stack("canary-prod", 0, ["eu-west", "us-east"]),
      state: "failed",
      error: CANARY_ERROR,
      result: {
        deployed: true,
        gateways: { "eu-west": gateway("eu-west", 0, "failed"), "us-east": gateway("us-east", 1, "complete", DEFAULT_IMAGE) },
        lastUpdate: "2026-11-24T10:00:00.000Z",
        failedResource: "eu-west-deployment",
        outputsStale: true,
        podWarnings: {
          "eu-west": [
            { reason: "FailedScheduling", message: "0/3 nodes are available: 3 Insufficient cpu. <b>preemption</b> & more", count: 3, lastSeen: "2026-11-24T09:59:30.000Z", pod: "openclaw-canary-5d9f8-abcde" },
            { reason: "BackOff", message: "Back-off restarting failed container gateway", count: 1, lastSeen: "2026-11-24T09:58:00.000Z", pod: "openclaw-canary-5d9f8-fghij" },
          ],
        },
      },
    },
    {
      stack: stack("acme-prod", 0, ["eu-west", "us-east"]),
      state: "succeeded",
      result: { deployed: true, gateways: { "eu-west": gateway("eu-west", 0, "complete"), "us-east": gateway("us-east", 1, "progressing") }, lastUpdate: "2026-11-24T10:01:00.000Z" },
    },
    { stack: stack("beta-prod", 1, ["ap-south"]), state: "skipped" },
  ];
}
