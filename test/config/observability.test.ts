import assert from "node:assert/strict";
import { assertConfigProblem as assertProblem, configProblems as problems, model } from "../fixtures.js";

const base = { tenant: "acme", environment: "dev", clusters: [{ name: "alpha" }] };
const on = { enabled: true, endpoint: "http://otel-collector.monitoring:4318" };

const withObservability = (observability: Record<string, unknown>) => ({ ...base, gateway: { observability } });

describe("stack config: observability", () => {
  it("is absent unless configured, so existing stacks keep their settings", () => {
    assert.equal(model(base).gateways[0]!.settings.observability, undefined);
  });
  it("defaults the protocol, signals, service name and content capture", () => {
    const observability = model(withObservability(on)).gateways[0]!.settings.observability!;
    assert.deepEqual(observability, {
      ...on,
      protocol: "http/protobuf",
      signals: { traces: true, metrics: true, logs: false },
      serviceName: "openclaw-gateway",
      captureContent: false,
    });
  });
  it("is overridden per cluster like other gateway settings", () => {
    const fleet = model({
      ...withObservability(on),
      clusters: [{ name: "alpha" }, { name: "beta", overrides: { observability: { endpoint: "https://otlp.eu.example.com", sampleRate: 0.1 } } }, { name: "gamma", overrides: { observability: { enabled: false } } }],
    });
    const [alpha, beta, gamma] = fleet.gateways.map((gateway) => gateway.settings.observability!);
    assert.equal(alpha!.endpoint, on.endpoint);
    assert.equal(beta!.endpoint, "https://otlp.eu.example.com");
    assert.equal(beta!.sampleRate, 0.1);
    assert.equal(gamma!.enabled, false);
  });

  it("warns, by the endpoint's path, when the NetworkPolicy closes the endpoint's port", () => {
    const warnings = (gateway: Record<string, unknown>) => model({ ...base, gateway }).warnings.map((w) => `${w.path}: ${w.message}`);
    const blocked = warnings({ observability: on });
    assert.ok(blocked.some((line) => /^openclaw-fleet:gateway\.observability\.endpoint: port 4318 is closed by the gateway's NetworkPolicy.*extraEgress/.test(line)), blocked.join("\n"));
    const opened = { observability: on, networkPolicy: { extraEgress: [{ namespaces: ["monitoring"], ports: [{ port: 4318 }] }] } };
    assert.deepEqual(warnings(opened).filter((line) => line.includes("observability")), []);
    assert.deepEqual(warnings({ observability: { enabled: true, endpoint: "https://otlp.example.com" } }).filter((line) => line.includes("observability")), []);
    assert.deepEqual(warnings({ observability: on, networkPolicy: { enabled: false } }).filter((line) => line.includes("observability")), []);
  });

  describe("bad input, refused with its config path", () => {
    it("refuses an endpoint that is not an http(s) URL", () => {
      assertProblem(withObservability({ ...on, endpoint: "otel-collector:4318" }), "openclaw-fleet:gateway.observability.endpoint", /must be an http:\/\/ or https:\/\/ URL/);
      assertProblem(withObservability({ ...on, endpoint: "grpc://collector:4317" }), "openclaw-fleet:gateway.observability.endpoint", /must be an http:\/\/ or https:\/\/ URL/);
      assertProblem(withObservability({ ...on, tracesEndpoint: "not a url" }), "openclaw-fleet:gateway.observability.tracesEndpoint", /http:\/\/ or https:\/\//);
    });
    it("refuses credentials inside an endpoint URL", () => {
      const found = problems(withObservability({ ...on, endpoint: "https://user:s3cr3t@otlp.example.com" }));
      assert.ok(found.some((line) => line.startsWith("openclaw-fleet:gateway.observability.endpoint: must not carry credentials")), found.join("\n"));
    });
    it("refuses the grpc protocol, pointing at the OTLP/HTTP port", () => {
      assertProblem(withObservability({ ...on, protocol: "grpc" }), "openclaw-fleet:gateway.observability.protocol", /must be "http\/protobuf".*4318/);
    });
    it("refuses header values in the stack config and names headersSecret", () => {
      const found = problems(withObservability({ ...on, headers: { "x-api-key": "s3cr3t" } }));
      assert.ok(found.some((line) => line.startsWith("openclaw-fleet:gateway.observability.headers: ") && /headersSecret/.test(line)), found.join("\n"));
      assert.ok(!found.join("\n").includes("s3cr3t"), "the header value must not be echoed");
    });
    it("refuses a plaintext OTLP header written straight into gateway.config, but lets an env reference through", () => {
      const config = (value: string) => ({ ...base, gateway: { config: { diagnostics: { otel: { headers: { "x-api-key": value } } } } } });
      const found = problems(config("s3cr3t"));
      assert.ok(found.some((line) => line.startsWith("openclaw-fleet:gateway.config.diagnostics.otel.headers.x-api-key: ") && /headersSecret/.test(line)), found.join("\n"));
      assert.ok(!found.join("\n").includes("s3cr3t"));
      assert.doesNotThrow(() => model(config("${MY_OTLP_KEY}")));
    });
    it("does not offer the refused headers key among the allowed keys", () => {
      const found = problems(withObservability({ ...on, endpiont: "http://x:4318" })).join("\n");
      assert.match(found, /openclaw-fleet:gateway\.observability\.endpiont: is not a known key; allowed keys: enabled, endpoint/);
      assert.doesNotMatch(found, /allowed keys:[^\n]*\bheaders,/);
    });
    it("requires headerNames with headersSecret and the other way round", () => {
      assertProblem(withObservability({ ...on, headersSecret: "otlp-auth" }), "openclaw-fleet:gateway.observability.headerNames", /is required with headersSecret/);
      assertProblem(withObservability({ ...on, headerNames: ["x-api-key"] }), "openclaw-fleet:gateway.observability.headersSecret", /is required with headerNames/);
      assertProblem(withObservability({ ...on, headersSecret: "Not_A_Name", headerNames: ["x-api-key"] }), "openclaw-fleet:gateway.observability.headersSecret", /Kubernetes object name/);
      assertProblem(withObservability({ ...on, headersSecret: "otlp-auth", headerNames: ["x api key"] }), "openclaw-fleet:gateway.observability.headerNames[0]", /HTTP header name/);
      assertProblem(withObservability({ ...on, headersSecret: "otlp-auth", headerNames: ["x-key", "X_KEY"] }), "openclaw-fleet:gateway.observability.headerNames[1]", /clashes with "x-key"/);
    });
    it("refuses a sample rate outside 0..1 and a flush interval below a second", () => {
      assertProblem(withObservability({ ...on, sampleRate: 1.5 }), "openclaw-fleet:gateway.observability.sampleRate", /from 0 to 1/);
      assertProblem(withObservability({ ...on, sampleRate: -0.1 }), "openclaw-fleet:gateway.observability.sampleRate", /from 0 to 1/);
      assertProblem(withObservability({ ...on, flushIntervalMs: 500 }), "openclaw-fleet:gateway.observability.flushIntervalMs", /at least 1000/);
    });
    it("requires an endpoint when enabled, unless every signal on has its own", () => {
      assertProblem(withObservability({ enabled: true }), "openclaw-fleet:gateway.observability.endpoint", /is required when observability is enabled.*tracesEndpoint, metricsEndpoint/);
      assert.doesNotThrow(() =>
        model(withObservability({ enabled: true, tracesEndpoint: "http://c:4318/v1/traces", metricsEndpoint: "http://c:4318/v1/metrics" })),
      );
      assert.doesNotThrow(() => model(withObservability({ enabled: false })));
    });
    it("reports a cluster override's own problem at the override's path", () => {
      assertProblem(
        { ...withObservability(on), clusters: [{ name: "alpha", overrides: { observability: { sampleRate: 2 } } }] },
        "openclaw-fleet:clusters[0].overrides.observability.sampleRate",
        /from 0 to 1/,
      );
      assertProblem({ ...base, clusters: [{ name: "alpha", overrides: { observability: { enabled: true } } }] }, "openclaw-fleet:clusters[0].overrides.observability.endpoint", /is required/);
    });
    it("refuses resource attributes the program sets, and values OTEL_RESOURCE_ATTRIBUTES cannot carry", () => {
      assertProblem(withObservability({ ...on, resourceAttributes: { "k8s.cluster.name": "other" } }), 'openclaw-fleet:gateway.observability.resourceAttributes["k8s.cluster.name"]', /is set by the program/);
      assertProblem(withObservability({ ...on, resourceAttributes: { team: "a,b=c" } }), "openclaw-fleet:gateway.observability.resourceAttributes.team", /unescaped/);
    });
    it("refuses user env vars that would shadow the observability env", () => {
      assertProblem({ ...base, gateway: { env: { OTEL_RESOURCE_ATTRIBUTES: "x=y" } } }, "openclaw-fleet:gateway.env.OTEL_RESOURCE_ATTRIBUTES", /is set by the program/);
      assertProblem({ ...base, gateway: { env: { OPENCLAW_OTEL_HEADER_X: "y" } } }, "openclaw-fleet:gateway.env.OPENCLAW_OTEL_HEADER_X", /OPENCLAW_OTEL_HEADER_\*/);
    });
    it("refuses a console style OpenClaw does not know", () => {
      assertProblem(withObservability({ enabled: false, logging: { consoleStyle: "logfmt" } }), "openclaw-fleet:gateway.observability.logging.consoleStyle", /json|pretty/);
    });
  });
});
