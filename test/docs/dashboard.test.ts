import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gatewayObjectNames } from "../../components/gateway/naming.js";
import { gatewayAlertRules } from "../../components/gateway/specs/monitoring.js";
import { stateClaimName } from "../../components/gateway/specs/storage.js";
import { gatewayContext } from "../fixtures.js";
import { ASSERTED_GATEWAY_METRICS } from "../gatewayMetrics.js";

const projectDir = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const DASHBOARD = "docs/dashboards/openclaw-gateways.json";

interface Target {
  expr: string;
}
interface Panel {
  type: string;
  title: string;
  targets?: Target[];
}
interface Dashboard {
  panels: Panel[];
  templating: { list: { name: string; query: unknown }[] };
}

const dashboard = JSON.parse(readFileSync(join(projectDir, DASHBOARD), "utf8")) as Dashboard;
const charts = dashboard.panels.filter((panel) => panel.type !== "row");
const expressions = [...charts.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr)), ...dashboard.templating.list.map((variable) => variable.query).filter((query): query is string => typeof query === "string" && query.includes("("))];

// PromQL words the dashboard uses that are not metric names; a new one must be added here on purpose.
const PROMQL_WORDS = new Set(["sum", "count", "by", "increase", "label_values", "or", "and"]);

/**
 * The names an expression selects: each identifier outside strings, `{...}`, `[...]`, `by (...)` and label_values'
 * label argument, less PromQL's own words.
 */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, "{}")
    .replace(/\[[^\]]*\]/g, "[]")
    .replace(/\bby\s*\([^()]*\)/g, "by ()")
    .replace(/(label_values\([^,()]*(?:\{\})?),\s*[a-zA-Z_][a-zA-Z0-9_]*\s*\)/g, "$1)");
  return [...bare.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)].map((match) => match[0]).filter((word) => !PROMQL_WORDS.has(word));
}

const ruleContext = gatewayContext({ backup: { enabled: true }, observability: { enabled: true, signals: { traces: false }, sidecar: { enabled: true }, prometheusOperator: { enabled: true } } });
const ruleMetrics = new Set(gatewayAlertRules(ruleContext).flatMap((rule) => metricNames(rule.expr)));

describe(`the Grafana dashboard (${DASHBOARD})`, () => {
  it("charts the gateway's own telemetry and the alerts' metrics, every panel with a query", () => {
    assert.ok(charts.length >= 6);
    for (const panel of charts) assert.ok((panel.targets ?? []).length > 0, `${panel.title} has no query`);
    const used = new Set(expressions.flatMap(metricNames));
    assert.ok([...used].some((name) => name.startsWith("openclaw_")), "no panel of the gateway's own metrics");
    assert.ok([...used].some((name) => ruleMetrics.has(name)), "no panel of the PrometheusRule's metrics");
  });

  it("uses only metrics the gateway contract test saw the real gateway export, or that the generated PrometheusRule uses", () => {
    assert.ok(ruleMetrics.has("kube_deployment_status_replicas_available"), [...ruleMetrics].join(", "));
    const known = new Set<string>([...ASSERTED_GATEWAY_METRICS, ...ruleMetrics]);
    for (const expr of expressions) {
      for (const name of metricNames(expr)) assert.ok(known.has(name), `${name} (in ${expr}) is neither asserted by gatewayTelemetry.contract.test.ts nor in the PrometheusRule`);
    }
  });

  it("selects the objects the program names (namespace, Deployment, pods, state claim)", () => {
    const names = gatewayObjectNames(ruleContext.tenant);
    const selectors = [...expressions.join("\n").matchAll(/(namespace|deployment|pod|persistentvolumeclaim)=~"([^"]+)"/g)].map((match) => [match[1]!, match[2]!] as const);
    const values: Record<string, string> = {
      namespace: ruleContext.gateway.namespace,
      deployment: names.deployment,
      pod: `${names.deployment}-7d9f8c6b5-x2x4q`,
      persistentvolumeclaim: stateClaimName(ruleContext),
    };
    assert.ok(selectors.length > 0);
    for (const [label, pattern] of selectors) {
      if (pattern === "$namespace") continue;
      assert.match(values[label]!, new RegExp(`^(?:${pattern})$`), `${label}=~"${pattern}" does not select ${values[label]}`);
    }
    const namespaceVariable = dashboard.templating.list.find((variable) => variable.name === "namespace") as { allValue?: string } | undefined;
    assert.match(ruleContext.gateway.namespace, new RegExp(`^(?:${namespaceVariable!.allValue})$`));
  });
});
