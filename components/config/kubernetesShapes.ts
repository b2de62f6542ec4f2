/**
 * Pod scheduling fields taken as Kubernetes writes them (`tolerations`, `affinity`, `topologySpreadConstraints`),
 * typed by `kubernetes-models` (the Kubernetes OpenAPI types) and checked here with strict zod objects, so a wrong
 * operator, a missing `topologyKey` or a misspelt key fails with its `openclaw-fleet:` path before anything is
 * applied. The validators of `kubernetes-models` cannot serve here: the package is ESM-only without a `require`
 * export, and the config contract is also loaded through `require` (the multi-language component), and they
 * accept unknown keys. The rendered Deployment still goes through them (`npm run render`, and a unit test).
 */
import { z } from "zod";
import type { IAffinity, INodeSelectorTerm, IPodAffinityTerm, ITopologySpreadConstraint, IToleration } from "kubernetes-models/v1";
import { labelMap } from "./labels.js";

const weight = z.int().min(1, "must be 1 to 100").max(100, "must be 1 to 100");
const selectorOperator = z.enum(["In", "NotIn", "Exists", "DoesNotExist"]);

const labelSelector: z.ZodType<NonNullable<IPodAffinityTerm["labelSelector"]>> = z.strictObject({
  matchLabels: labelMap.optional(),
  matchExpressions: z.array(z.strictObject({ key: z.string().min(1), operator: selectorOperator, values: z.array(z.string()).optional() })).optional(),
});

const nodeSelectorRequirement = z.strictObject({ key: z.string().min(1), operator: z.enum(["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"]), values: z.array(z.string()).optional() });
const nodeSelectorTerm: z.ZodType<INodeSelectorTerm> = z.strictObject({
  matchExpressions: z.array(nodeSelectorRequirement).optional(),
  matchFields: z.array(nodeSelectorRequirement).optional(),
});

const podAffinityTerm: z.ZodType<IPodAffinityTerm> = z.strictObject({
  topologyKey: z.string().min(1, "must name a node label such as topology.kubernetes.io/zone"),
  labelSelector: labelSelector.optional(),
  namespaceSelector: labelSelector.optional(),
  namespaces: z.array(z.string()).optional(),
  matchLabelKeys: z.array(z.string()).optional(),
  mismatchLabelKeys: z.array(z.string()).optional(),
});
const podAffinity = z.strictObject({
  requiredDuringSchedulingIgnoredDuringExecution: z.array(podAffinityTerm).optional(),
  preferredDuringSchedulingIgnoredDuringExecution: z.array(z.strictObject({ weight, podAffinityTerm })).optional(),
});

export const affinity: z.ZodType<IAffinity> = z.strictObject({
  nodeAffinity: z
    .strictObject({
      requiredDuringSchedulingIgnoredDuringExecution: z.strictObject({ nodeSelectorTerms: z.array(nodeSelectorTerm).min(1, "must list at least one term") }).optional(),
      preferredDuringSchedulingIgnoredDuringExecution: z.array(z.strictObject({ weight, preference: nodeSelectorTerm })).optional(),
    })
    .optional(),
  podAffinity: podAffinity.optional(),
  podAntiAffinity: podAffinity.optional(),
});

export const toleration: z.ZodType<IToleration> = z.strictObject({
  key: z.string().optional(),
  operator: z.enum(["Equal", "Exists", "Gt", "Lt"]).optional(),
  value: z.string().optional(),
  effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"]).optional(),
  tolerationSeconds: z.int().optional(),
});

/** Without a `labelSelector` the builder selects the gateway's own pods (a constraint without one counts none). */
export const topologySpreadConstraint: z.ZodType<ITopologySpreadConstraint> = z.strictObject({
  maxSkew: z.int().min(1, "must be 1 or greater"),
  topologyKey: z.string().min(1, "must name a node label such as topology.kubernetes.io/zone"),
  whenUnsatisfiable: z.enum(["DoNotSchedule", "ScheduleAnyway"]),
  labelSelector: labelSelector.optional(),
  minDomains: z.int().min(1).optional(),
  nodeAffinityPolicy: z.enum(["Honor", "Ignore"]).optional(),
  nodeTaintsPolicy: z.enum(["Honor", "Ignore"]).optional(),
  matchLabelKeys: z.array(z.string()).optional(),
});
