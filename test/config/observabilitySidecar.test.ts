import assert from "node:assert/strict";
import { DEFAULT_COLLECTOR_IMAGE } from "../../components/config/observability.js";
import { assertConfigProblem as assertProblem, configProblems as problems, model } from "../fixtures.js";

const base = { tenant: "acme", environment: "dev", clusters: [{ name: "alpha" }] };
const sidecarOn = { enabled: true, signals: { traces: false }, sidecar: { enabled: true } };
const withObservability = (observability: Record<string, unknown>) => ({ ...base, gateway: { observability } });

const P = "openclaw-fleet:gateway.observability";

describe("stack config: the collector sidecar and the Prometheus Operator flag", () => {
  it("defaults the sidecar's pinned image, resources, port, long metric expiry and the monitoring namespace as scraper", () => {
    const sidecar = model(withObservability(sidecarOn)).gateways[0]!.settings.observability!.sidecar!;
    assert.equal(sidecar.image, DEFAULT_COLLECTOR_IMAGE);
    assert.match(sidecar.image, /:\d+\.\d+\.\d+$/, "a pinned version tag, not latest");
    assert.equal(sidecar.metricsPort, 9464);
    assert.equal(sidecar.metricExpiration, "1h");
    assert.deepEqual(sidecar.scrapeFrom, { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } });
    for (const key of ["cpu", "memory", "ephemeral-storage"] as const) {
      assert.ok(sidecar.resources.requests[key] && sidecar.resources.limits[key], key);
    }
  });

  it("needs no endpoint with the sidecar when only metrics are on, and sends traces to endpoint beside it", () => {
    assert.equal(model(withObservability(sidecarOn)).gateways[0]!.settings.observability!.endpoint, undefined);
    const both = model(withObservability({ enabled: true, endpoint: "https://otlp.example.com", sidecar: { enabled: true } }));
    assert.equal(both.gateways[0]!.settings.observability!.endpoint, "https://otlp.example.com");
  });

  it("refuses traces on with the sidecar and no endpoint for them", () => {
    assertProblem(withObservability({ enabled: true, sidecar: { enabled: true } }), `${P}.endpoint`, /tracesEndpoint/);
  });

  it("refuses a metricsEndpoint beside the sidecar, the sidecar with export off or with metrics off", () => {
    assertProblem(withObservability({ ...sidecarOn, metricsEndpoint: "http://c:4318/v1/metrics" }), `${P}.metricsEndpoint`, /set by the program when sidecar\.enabled/);
    assertProblem(withObservability({ enabled: false, sidecar: { enabled: true } }), `${P}.sidecar.enabled`, /needs observability enabled: true/);
    assertProblem(withObservability({ enabled: true, endpoint: "https://o.example.com", signals: { metrics: false }, sidecar: { enabled: true } }), `${P}.sidecar.enabled`, /signals\.metrics: true/);
  });

  it("refuses a metric expiry of five minutes or below ten, and one that is not a duration", () => {
    assertProblem(withObservability({ ...sidecarOn, sidecar: { enabled: true, metricExpiration: "5m" } }), `${P}.sidecar.metricExpiration`, /at least 10m/);
    assertProblem(withObservability({ ...sidecarOn, sidecar: { enabled: true, metricExpiration: "an hour" } }), `${P}.sidecar.metricExpiration`, /must be a duration such as 30m/);
    assert.equal(model(withObservability({ ...sidecarOn, sidecar: { enabled: true, metricExpiration: "1h30m" } })).gateways[0]!.settings.observability!.sidecar!.metricExpiration, "1h30m");
  });

  it("refuses a metrics port the pod already uses or a privileged one", () => {
    assertProblem(withObservability({ ...sidecarOn, sidecar: { enabled: true, metricsPort: 18789 } }), `${P}.sidecar.metricsPort`, /must not be 18789 or 4318/);
    assertProblem(withObservability({ ...sidecarOn, sidecar: { enabled: true, metricsPort: 80 } }), `${P}.sidecar.metricsPort`, /1024 to 65535/);
  });

  it("refuses a bad sidecar resource quantity with its path", () => {
    const resources = { requests: { cpu: "50m", memory: "64MB", "ephemeral-storage": "16Mi" }, limits: { cpu: "200m", memory: "256Mi", "ephemeral-storage": "64Mi" } };
    assertProblem(withObservability({ ...sidecarOn, sidecar: { enabled: true, resources } }), `${P}.sidecar.resources.requests.memory`, /Kubernetes quantity/);
  });

  it("refuses a sidecar limit above the gateway's, which the namespace's LimitRange would refuse at pod creation", () => {
    const resources = { requests: { cpu: "50m", memory: "64Mi", "ephemeral-storage": "16Mi" }, limits: { cpu: "200m", memory: "4Gi", "ephemeral-storage": "64Mi" } };
    assertProblem(withObservability({ ...sidecarOn, sidecar: { enabled: true, resources } }), `${P}.sidecar.resources.limits.memory`, /above the gateway's 2Gi limit.*LimitRange/);
  });

  describe("the scrape selector is refused unless the API server would take it as a label selector", () => {
    const scrape = (scrapeFrom: unknown) => withObservability({ ...sidecarOn, sidecar: { enabled: true, scrapeFrom } });
    it("a label key that is not a qualified name", () => {
      assertProblem(scrape({ namespaceSelector: { matchLabels: { "bad key!": "monitoring" } } }), `${P}.sidecar.scrapeFrom.namespaceSelector.matchLabels["bad key!"]`, /qualified name|must end in a name/);
    });
    it("a label value with a space", () => {
      assertProblem(scrape({ namespaceSelector: { matchLabels: { name: "my monitoring" } } }), `${P}.sidecar.scrapeFrom.namespaceSelector.matchLabels.name`, /letters, digits/);
    });
    it("an unknown operator, In without values, Exists with values", () => {
      assertProblem(scrape({ namespaceSelector: { matchExpressions: [{ key: "team", operator: "Equals", values: ["x"] }] } }), `${P}.sidecar.scrapeFrom.namespaceSelector.matchExpressions[0].operator`, /In, NotIn, Exists or DoesNotExist/);
      assertProblem(scrape({ namespaceSelector: { matchExpressions: [{ key: "team", operator: "In" }] } }), `${P}.sidecar.scrapeFrom.namespaceSelector.matchExpressions[0].values`, /at least one value for operator In/);
      assertProblem(scrape({ namespaceSelector: { matchExpressions: [{ key: "team", operator: "Exists", values: ["x"] }] } }), `${P}.sidecar.scrapeFrom.namespaceSelector.matchExpressions[0].values`, /left out for operator Exists/);
    });
    it("a selector that is not an object, or one with an unknown key", () => {
      assertProblem(scrape({ namespaceSelector: "monitoring" }), `${P}.sidecar.scrapeFrom.namespaceSelector`, /must be a label selector/);
      assertProblem(scrape({ namespaceSelector: { matchLabel: { a: "b" } } }), `${P}.sidecar.scrapeFrom.namespaceSelector.matchLabel`, /not a known key/);
    });
    it("takes a namespace and pod selector that are valid", () => {
      const scrapeFrom = { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "observability" } }, podSelector: { matchExpressions: [{ key: "app.kubernetes.io/name", operator: "In", values: ["prometheus"] }] } };
      assert.deepEqual(model(scrape(scrapeFrom)).gateways[0]!.settings.observability!.sidecar!.scrapeFrom, scrapeFrom);
    });
  });

  it("takes the Prometheus Operator flag per cluster, with the selector labels its Prometheus picks objects by", () => {
    const fleet = model({
      ...withObservability(sidecarOn),
      clusters: [{ name: "alpha", overrides: { observability: { prometheusOperator: { enabled: true, labels: { release: "kube-prometheus-stack" } } } } }, { name: "beta" }],
    });
    const [alpha, beta] = fleet.gateways.map((gateway) => gateway.settings.observability!);
    assert.deepEqual(alpha!.prometheusOperator, { enabled: true, labels: { release: "kube-prometheus-stack" }, scrapeInterval: "30s" });
    assert.equal(beta!.prometheusOperator, undefined);
    assertProblem({ ...base, clusters: [{ name: "alpha", overrides: { observability: { enabled: false, prometheusOperator: { enabled: true, scrapeInterval: "half a minute" } } } }] }, "openclaw-fleet:clusters[0].overrides.observability.prometheusOperator.scrapeInterval", /30s or 1m/);
  });
});
