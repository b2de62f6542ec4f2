/**
 * The Prometheus Operator objects and the sidecar's objects on live API servers that have the operator's CRDs
 * (scripts/clusters.sh installs them from the operator's Go module): server-side apply judges them against the real
 * ServiceMonitor and PrometheusRule schema, and refuses what that schema refuses.
 */
import assert from "node:assert/strict";
import { buildGatewayManifests, manifestList } from "../../components/gateway/manifests.js";
import { gatewayContexts } from "../../components/render/renderFleet.js";
import { secretKeys } from "../../components/gateway/specs/secret.js";
import { model } from "../fixtures.js";
import { apply, connect, deleteNamespace, read, refusal, type Manifest, type TestCluster } from "./kube.js";

const context = process.env.OPENCLAW_FLEET_TEST_CONTEXTS?.split(",")[0] ?? "openclaw-local-1";

function observedManifests(tenant: string) {
  const fleet = model({
    tenant,
    environment: "staging",
    gateway: {
      backup: { enabled: true },
      observability: {
        enabled: true,
        endpoint: "https://otlp.example.com",
        sidecar: { enabled: true, scrapeFrom: { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } }, podSelector: { matchExpressions: [{ key: "app.kubernetes.io/name", operator: "In", values: ["prometheus"] }] } } },
        prometheusOperator: { enabled: true, labels: { release: "kube-prometheus-stack" } },
      },
    },
    clusters: [{ name: "local", region: "loopback" }],
  });
  const gateway = gatewayContexts(fleet)[0]!;
  return buildGatewayManifests(gateway, Object.fromEntries(secretKeys(gateway).map((key) => [key, "cluster-test-value"])));
}

describe("real Kubernetes with the Prometheus Operator's CRDs: monitoring objects", function () {
  this.timeout(2 * 60_000);
  const tenant = `mon${Date.now().toString(36)}`;
  let cluster: TestCluster;
  let manifests: ReturnType<typeof observedManifests>;

  before(() => {
    cluster = connect(context);
    manifests = observedManifests(tenant);
  });
  after(() => deleteNamespace(cluster, manifests.namespace.metadata!.name!));

  it("applies every object of a gateway with the sidecar, the ServiceMonitor and the PrometheusRule, and reads them back", async () => {
    for (const object of manifestList(manifests) as Manifest[]) {
      try {
        await apply(cluster, object);
      } catch (error) {
        assert.fail(`${object.kind}/${object.metadata?.name} refused: ${refusal(error)}`);
      }
    }
    const monitor = await read<{ spec: { endpoints: { port: string }[] } } & Manifest>(cluster, manifests.serviceMonitor!);
    assert.equal(monitor.spec.endpoints[0]!.port, "metrics");
    const rule = await read<{ spec: { groups: { rules: { alert: string }[] }[] } } & Manifest>(cluster, manifests.prometheusRule!);
    assert.ok(rule.spec.groups[0]!.rules.some((each) => each.alert === "OpenclawBackupFailed"));
  });

  it("is judged by the real schema: a rule whose `for` is not a duration is refused", async () => {
    const broken = structuredClone(manifests.prometheusRule!) as unknown as { spec: { groups: { rules: Record<string, unknown>[] }[] } } & Manifest;
    broken.spec.groups[0]!.rules[0]!.for = "five minutes";
    await assert.rejects(apply(cluster, broken, { dryRun: true }), (error) => /for|pattern|Invalid value/i.test(refusal(error)));
  });
});
