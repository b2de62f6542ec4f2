/** The releases listing as a terminal table (STACK RING RUNNING FROM NEWER) and as JSON. */
import type { ReleasesListing } from "./releasesListing.js";

/** At most this many newer versions per row in the table (the JSON has them all). */
const TABLE_NEWER = 5;

export function releasesTable(listing: ReleasesListing): string {
  const header = ["STACK", "RING", "CLUSTERS", "RUNNING", "FROM", "NEWER (newest first)"];
  const lines = listing.rows.map((row) => {
    const newer =
      row.note ?? (row.newer.length === 0 ? "none" : row.newer.slice(0, TABLE_NEWER).join(", ") + (row.newer.length > TABLE_NEWER ? ` (+${row.newer.length - TABLE_NEWER} more)` : ""));
    return [row.stack, String(row.ring), row.clusters.join(","), row.running ?? row.image, row.source, newer];
  });
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column]!.length)));
  return [header, ...lines].map((line) => line.map((cell, column) => (column === line.length - 1 ? cell : cell.padEnd(widths[column]!))).join("  ")).join("\n");
}

export function releasesJson(listing: ReleasesListing): string {
  return `${JSON.stringify({ stacks: listing.rows }, null, 2)}\n`;
}
