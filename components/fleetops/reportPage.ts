/**
 * fleet-report.html: one static page (inline CSS, no script, no external asset, so it opens from a CI
 * artifact or a mail attachment): a stacks x clusters grid coloured by rollout status, the image versions
 * running, and every failure with its message. Everything shown is escaped; the input is the report, which
 * holds no secret (fleetReport.ts).
 */
import type { FleetReport, StackReport } from "./fleetReport.js";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(value: string | number | null | undefined): string {
  return String(value ?? "").replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 2rem; color: #1f2328; }
table { border-collapse: collapse; margin-bottom: 2rem; }
th, td { border: 1px solid #d0d7de; padding: .35rem .6rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
td.cell small, small.rollback { display: block; color: #57606a; }
td.cell small.warning { color: #9a6700; max-width: 28rem; }
.rollout-complete { background: #dafbe1; }
.rollout-progressing { background: #fff8c5; }
.rollout-failed, .rollout-missing, .has-error { background: #ffebe9; }
.rollout-unknown { background: #eaeef2; }
.rollout-not-deployed, .absent { background: #fff; color: #8c959f; }
.result-failed { color: #cf222e; font-weight: 600; }
.result-skipped { color: #8c959f; }
td.stale { background-image: repeating-linear-gradient(45deg, transparent 0 6px, rgba(0,0,0,.06) 6px 12px); }
pre { white-space: pre-wrap; margin: 0; }
`;

/** The tag (or digest) an image runs: what tells releases apart in a cell. */
function imageVersion(image: string): string {
  const at = image.lastIndexOf("@");
  if (at !== -1) return image.slice(at + 1, at + 20);
  const slash = image.lastIndexOf("/");
  const colon = image.lastIndexOf(":");
  return colon > slash ? image.slice(colon + 1) : "latest";
}

/** A failed release's rollback, under the stack's result: the image it went back to, or that the rollback failed too. */
function rollbackNote(stack: StackReport): string {
  const rollback = stack.rollback;
  if (!rollback) return "";
  return rollback.result === "rolled-back"
    ? `<small class="rollback" data-rollback="rolled-back">rolled back to ${escapeHtml(imageVersion(rollback.to))}${rollback.restored.length > 0 ? `, data restored on ${escapeHtml(rollback.restored.join(", "))}` : ""}</small>`
    : `<small class="rollback error" data-rollback="failed">rollback to ${escapeHtml(imageVersion(rollback.to))} failed: ${escapeHtml(rollback.error ?? "")}</small>`;
}

function stackRow(stack: StackReport, clusters: readonly string[]): string {
  const cells = clusters.map((name) => {
    const cluster = stack.clusters.find((c) => c.cluster === name);
    if (!cluster) return `<td class="absent" data-stack="${escapeHtml(stack.stack)}" data-cluster="${escapeHtml(name)}"></td>`;
    const classes = ["cell", `rollout-${cluster.rollout}`, ...(cluster.error ? ["has-error"] : []), ...(cluster.stale ? ["stale"] : [])].join(" ");
    return (
      `<td class="${classes}" data-stack="${escapeHtml(stack.stack)}" data-cluster="${escapeHtml(name)}" data-rollout="${escapeHtml(cluster.rollout)}"${cluster.stale ? ` data-stale="true"` : ""}` +
      `${cluster.image ? ` title="${escapeHtml(cluster.image)}"` : ""}>` +
      `${escapeHtml(cluster.rollout)}` +
      // The failed command recorded no outputs: say so, or a failed canary reads `complete` with the old image.
      (cluster.stale ? `<small class="stale-note">stale: last successful update, not this run</small>` : "") +
      (cluster.image ? `<small class="image">${escapeHtml(imageVersion(cluster.image))}</small>` : "") +
      (cluster.ready ? `<small class="ready">ready ${escapeHtml(cluster.ready)}</small>` : "") +
      (cluster.error ? `<small class="error">${escapeHtml(cluster.error)}</small>` : "") +
      // Why the gateway is not ready: its pods' last warnings (podWarnings.ts), newest first.
      cluster.warnings
        .map((w) => `<small class="warning" data-reason="${escapeHtml(w.reason)}">${escapeHtml(w.reason)}${w.count > 1 ? ` x${w.count}` : ""}: ${escapeHtml(w.message)}</small>`)
        .join("") +
      `</td>`
    );
  });
  return (
    `<tr data-stack="${escapeHtml(stack.stack)}"><td>${escapeHtml(stack.ring)}</td><th scope="row">${escapeHtml(stack.stack)}</th>` +
    `<td>${escapeHtml(stack.tenant ?? "")}${stack.environment ? ` / ${escapeHtml(stack.environment)}` : ""}</td>` +
    `<td class="result-${escapeHtml(stack.result)}">${escapeHtml(stack.result)}${stack.deployed ? "" : " (not deployed)"}${rollbackNote(stack)}</td>` +
    `<td>${escapeHtml(stack.lastUpdate ?? "-")}</td>${cells.join("")}</tr>`
  );
}

export function reportPage(report: FleetReport): string {
  const clusters = [...new Set(report.stacks.flatMap((s) => s.clusters.map((c) => c.cluster)))].sort();
  const images = new Map<string, number>();
  for (const cluster of report.stacks.flatMap((s) => s.clusters)) if (cluster.image) images.set(cluster.image, (images.get(cluster.image) ?? 0) + 1);
  const failures = report.failed.length
    ? `<table id="failures"><tr><th>ring</th><th>stack</th><th>first error</th></tr>${report.failed
        .map((f) => `<tr data-stack="${escapeHtml(f.stack)}"><td>${escapeHtml(f.ring)}</td><th scope="row">${escapeHtml(f.stack)}</th><td><pre>${escapeHtml(f.error)}</pre></td></tr>`)
        .join("")}</table>`
    : `<p id="failures">No failures.</p>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>OpenClaw fleet: ${escapeHtml(report.command)}</title><style>${STYLE}</style></head>
<body>
<h1>OpenClaw fleet</h1>
<p><code>npm run fleet -- ${escapeHtml(report.command)}</code>, ${escapeHtml(report.generatedAt)}: ${report.stacks.length} stacks, ${report.failed.length} failed.</p>
<h2>Rollout by stack and cluster</h2>
<table id="grid"><thead><tr><th>ring</th><th>stack</th><th>tenant / env</th><th>result</th><th>last update</th>${clusters.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join("")}</tr></thead>
<tbody>${report.stacks.map((s) => stackRow(s, clusters)).join("\n")}</tbody></table>
<h2>Image versions</h2>
<table id="images"><tr><th>image</th><th>gateways</th></tr>${[...images.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([image, count]) => `<tr><td><code>${escapeHtml(image)}</code></td><td>${count}</td></tr>`)
    .join("")}</table>
<h2>Failures</h2>
${failures}
</body></html>
`;
}
