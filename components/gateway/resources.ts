/**
 * `pulumi up`'s walk of the gateway's object list (objects.ts): one Kubernetes resource per object present, with
 * its provider, dependencies, retention and aliases as the list declares them, and the deploy-time values as
 * secret Outputs.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { GatewayContext } from "./context.js";
import { buildObjects, GATEWAY_OBJECTS, type GatewayObject, type GatewayObjectKey, type GatewayObjectType } from "./objects.js";
import { CHECKSUM_ANNOTATION } from "./specs/deployment.js";
import { secretKeys } from "./specs/secret.js";

type ResourceClass = new (name: string, args: any, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * A Prometheus Operator kind as a resource class: the provider has no typed class for CRDs, and a CustomResource's
 * type token is `kubernetes:<apiVersion>:<kind>`, the one the list names.
 */
function customResourceClass(apiVersion: string, kind: string): ResourceClass {
  return class extends k8s.apiextensions.CustomResource {
    /** What CustomResource's constructor makes the URN's type of (the list's test reads it, as for typed classes). */
    static readonly __pulumiType = `kubernetes:${apiVersion}:${kind}`;
    constructor(name: string, args: Record<string, unknown>, opts?: pulumi.CustomResourceOptions) {
      super(name, { ...args, apiVersion, kind } as k8s.apiextensions.CustomResourceArgs, opts);
    }
  };
}

/** The resource class of each type the list names (the type token is the URN's, so this map must not change it). */
const RESOURCE_CLASSES: Record<GatewayObjectType, ResourceClass> = {
  "kubernetes:core/v1:Namespace": k8s.core.v1.Namespace,
  "kubernetes:core/v1:ResourceQuota": k8s.core.v1.ResourceQuota,
  "kubernetes:core/v1:LimitRange": k8s.core.v1.LimitRange,
  "kubernetes:core/v1:ServiceAccount": k8s.core.v1.ServiceAccount,
  "kubernetes:core/v1:Secret": k8s.core.v1.Secret,
  "kubernetes:core/v1:ConfigMap": k8s.core.v1.ConfigMap,
  "kubernetes:core/v1:PersistentVolumeClaim": k8s.core.v1.PersistentVolumeClaim,
  "kubernetes:apps/v1:Deployment": k8s.apps.v1.Deployment,
  "kubernetes:core/v1:Service": k8s.core.v1.Service,
  "kubernetes:networking.k8s.io/v1:Ingress": k8s.networking.v1.Ingress,
  "kubernetes:networking.k8s.io/v1:NetworkPolicy": k8s.networking.v1.NetworkPolicy,
  "kubernetes:policy/v1:PodDisruptionBudget": k8s.policy.v1.PodDisruptionBudget,
  "kubernetes:rbac.authorization.k8s.io/v1:Role": k8s.rbac.v1.Role,
  "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding": k8s.rbac.v1.RoleBinding,
  "kubernetes:monitoring.coreos.com/v1:ServiceMonitor": customResourceClass("monitoring.coreos.com/v1", "ServiceMonitor"),
  "kubernetes:monitoring.coreos.com/v1:PrometheusRule": customResourceClass("monitoring.coreos.com/v1", "PrometheusRule"),
};

/** The Pulumi resource class registered for a type token of the list (exported for the test that checks the map). */
export function resourceClass(type: GatewayObjectType): ResourceClass {
  return RESOURCE_CLASSES[type];
}

/** How one gateway's objects are registered: everything that is not in the list itself. */
export interface ObjectPlacement {
  parent: pulumi.ComponentResource;
  /** The component's name: each object is `<name>-<resourceSuffix>`. */
  name: string;
  /** The kubernetes provider of the objects; default: the parent's `providers`. */
  provider?: k8s.Provider;
  /** The provider of the retained objects (one that adopts them on redeploy); default: `provider`. */
  retainedObjectsProvider?: k8s.Provider;
  /** Resources every object waits for: the Deployments of earlier waves. */
  waitFor?: pulumi.Input<pulumi.Resource>[];
  /** Protect the retained objects (prod). */
  protect: boolean;
  /** Whether `pulumi destroy` leaves the retained objects (false only for throwaway stacks). */
  retainState: boolean;
  /** The aliases of the object with this resource suffix (where it was registered before). */
  aliases: (resourceSuffix: string) => pulumi.Input<pulumi.URN | pulumi.Alias>[];
}

/** The deploy-time values as Outputs (objects.ts: DeployTimeValues). */
export interface DeployTimeOutputs {
  secretValues: pulumi.Output<Record<string, string>>;
  podChecksum: pulumi.Output<string>;
}

/** The registered resource of each object present, by key. */
export type RegisteredObjects = Partial<Record<GatewayObjectKey, pulumi.CustomResource>>;

/** Registers every object of the list that is present for this gateway, in list order. */
export function registerGatewayObjects(context: GatewayContext, placement: ObjectPlacement, live: DeployTimeOutputs): RegisteredObjects {
  // Stand-ins only: the objects carrying these get the Outputs below before they are registered.
  const manifests = buildObjects(context, { secretValues: Object.fromEntries(secretKeys(context).map((key) => [key, ""])), podChecksum: "" });
  const resources: RegisteredObjects = {};
  for (const object of GATEWAY_OBJECTS as readonly GatewayObject[]) {
    const manifest = manifests[object.key as GatewayObjectKey];
    if (!manifest) continue;
    const Resource = RESOURCE_CLASSES[object.type as GatewayObjectType];
    resources[object.key as GatewayObjectKey] = new Resource(
      `${placement.name}-${object.resourceSuffix}`,
      withDeployTimeValues(object, manifestArgs(manifest), live),
      resourceOptions(object, placement, dependencies(object, resources)),
    );
  }
  return resources;
}

/** The resources of what the object waits for, skipping objects switched off; a key not in the list is a bug. */
function dependencies(object: GatewayObject, registered: RegisteredObjects): pulumi.Resource[] {
  return object.waitsFor.flatMap((key) => {
    if (!GATEWAY_OBJECTS.some((each) => each.key === key)) throw new Error(`gateway object ${object.key} waits for ${key}, which is not in the list (objects.ts)`);
    const resource = registered[key as GatewayObjectKey];
    return resource ? [resource] : [];
  });
}

function resourceOptions(object: GatewayObject, placement: ObjectPlacement, waitsFor: pulumi.Resource[]): pulumi.CustomResourceOptions {
  const provider = object.retained ? (placement.retainedObjectsProvider ?? placement.provider) : placement.provider;
  return {
    parent: placement.parent,
    dependsOn: [...waitsFor, ...(placement.waitFor ?? [])],
    ...(provider ? { provider } : {}),
    ...(object.retained ? { protect: placement.protect, retainOnDelete: placement.retainState } : {}),
    ...(object.specCreateOnly ? { ignoreChanges: ["spec"] } : {}),
    aliases: placement.aliases(object.resourceSuffix),
  };
}

/** The object's resource args with the Outputs in place of the stand-ins it was built with. */
function withDeployTimeValues(object: GatewayObject, args: ManifestArgs, live: DeployTimeOutputs): ManifestArgs {
  if (object.carries === "secretValues") return { ...args, stringData: pulumi.secret(live.secretValues) };
  if (object.carries === "podChecksum") {
    const template = args.spec.template;
    return {
      ...args,
      spec: { ...args.spec, template: { ...template, metadata: { ...template.metadata, annotations: { ...template.metadata?.annotations, [CHECKSUM_ANNOTATION]: live.podChecksum } } } },
    };
  }
  return args;
}

/**
 * A plain manifest as Pulumi resource args (apiVersion/kind are implied by the resource class). The
 * manifests are typed by kubernetes-models (the Kubernetes OpenAPI schema), whose quantities may also be
 * numbers where Pulumi's inputs say string: this is the one boundary where the two type systems meet.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ManifestArgs = { metadata: k8s.types.input.meta.v1.ObjectMeta } & Record<string, any>;
function manifestArgs(manifest: { apiVersion?: string; kind?: string; metadata?: unknown }): ManifestArgs {
  const { apiVersion: _apiVersion, kind: _kind, ...rest } = manifest;
  return rest as ManifestArgs;
}
