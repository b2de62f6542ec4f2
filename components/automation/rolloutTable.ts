import type { GatewayOutput } from "../fleet/outputs.js";

/** The `gateways` stack output as a fixed-width table, waves first: what `npm run demo` prints. */
export function rolloutTable(gateways: Readonly<Record<string, GatewayOutput>>): string {
  const header = ["WAVE", "CLUSTER", "REGION", "NAMESPACE", "ROLLOUT", "READY", "IMAGE", "URL"];
  const rows = Object.values(gateways)
    .sort((a, b) => a.wave - b.wave || a.cluster.localeCompare(b.cluster))
    .map((g) => [
      String(g.wave),
      g.cluster,
      g.region ?? "-",
      g.namespace,
      g.rollout.status,
      `${g.rollout.readyReplicas}/${g.rollout.replicas}`,
      g.image,
      g.url ?? g.serviceUrl,
    ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  return [header, ...rows].map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join("  ").trimEnd()).join("\n");
}
