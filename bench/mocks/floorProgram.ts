/**
 * The SDK floor of the mock evaluation: as many components, providers and custom resources as the program
 * registers, spread over the clusters the same way, each custom resource with one plain input. What the
 * program costs above this is its own (config validation, object builders, Output chains, input size).
 */
import * as pulumi from "@pulumi/pulumi";
import type { RegisteredCounts } from "./evaluate.js";

class FloorProvider extends pulumi.ProviderResource {
  constructor(name: string) {
    super("floor", name, {}, {});
  }
}

class FloorResource extends pulumi.CustomResource {
  declare readonly value: pulumi.Output<number>;
  constructor(name: string, value: number, opts: pulumi.CustomResourceOptions) {
    super("floor:index:Resource", name, { value }, opts);
  }
}

class FloorComponent extends pulumi.ComponentResource {
  constructor(name: string) {
    super("floor:index:Component", name, {}, {});
  }
}

/** Registers the shape and returns the custom resources' outputs (awaited by the caller). */
export function registerFloor(clusters: number, counts: RegisteredCounts): pulumi.Output<number>[] {
  const providers = Array.from({ length: counts.providers }, (_, index) => new FloorProvider(`provider-${index}`));
  const components = Array.from({ length: counts.components }, (_, index) => new FloorComponent(`component-${index}`));
  return Array.from({ length: counts.customs }, (_, index) => {
    const cluster = index % clusters;
    return new FloorResource(`resource-${index}`, index, {
      provider: providers[index % providers.length],
      parent: components[cluster % Math.max(components.length, 1)],
    }).value;
  });
}
