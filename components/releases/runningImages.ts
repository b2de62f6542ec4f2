/**
 * What a fleet stack runs, per cluster. A stack the backend holds runs what its last successful update deployed:
 * the `gateways` output's `image` per cluster (a failed update records no outputs, so an image set but never rolled
 * out is not counted). A stack never deployed runs nothing yet; the image its config gives (`gateway.image`, a
 * cluster's `overrides.image`) is what its first `up` would deploy, and is shown as that.
 */
import type { FleetModel } from "../config/load.js";

export type ImageSource = "outputs" | "config";

export interface RunningImage {
  image: string;
  /** The clusters running it, in the order the stack names them. */
  clusters: string[];
  source: ImageSource;
}

/** The stack's distinct images, each with its clusters; outputs win when they name any image. */
export function runningImages(model: Pick<FleetModel, "gateways">, gatewaysOutput: unknown): RunningImage[] {
  const fromOutputs = outputImages(gatewaysOutput);
  const source: ImageSource = fromOutputs.length > 0 ? "outputs" : "config";
  const pairs = fromOutputs.length > 0 ? fromOutputs : model.gateways.map((gateway) => [gateway.cluster, gateway.settings.image] as const);
  const byImage = new Map<string, string[]>();
  for (const [cluster, image] of pairs) byImage.set(image, [...(byImage.get(image) ?? []), cluster]);
  return [...byImage].map(([image, clusters]) => ({ image, clusters, source }));
}

function outputImages(gateways: unknown): (readonly [string, string])[] {
  if (typeof gateways !== "object" || gateways === null) return [];
  return Object.entries(gateways as Record<string, { image?: unknown }>).flatMap(([cluster, gateway]) =>
    typeof gateway?.image === "string" ? [[cluster, gateway.image] as const] : [],
  );
}
