/**
 * Metric names, as the collector sidecar serves them to Prometheus, that the gateway contract test
 * (test/contract/gateway/gatewayTelemetry.contract.test.ts) asserts the real gateway exports. The Grafana dashboard may
 * chart these and the PrometheusRule's metrics only (test/docs/dashboard.test.ts). Series that depend on load or agent
 * work (memory samples, liveness warnings, model calls) are not here: the test cannot make them appear every time.
 */
export const ASSERTED_GATEWAY_METRICS = ["openclaw_telemetry_exporter_events_total"] as const;
