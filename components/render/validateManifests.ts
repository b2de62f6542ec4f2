/**
 * Validates plain manifests against the Kubernetes OpenAPI schemas shipped by `kubernetes-models`
 * (ajv under the hood). The package is ESM-only, hence the dynamic imports.
 */
interface Manifest {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string };
}

type ModelClass = new (data: unknown) => { validate(): void };

const groupModules: Record<string, () => Promise<Record<string, unknown>>> = {
  v1: () => import("kubernetes-models/v1"),
  "apps/v1": () => import("kubernetes-models/apps/v1"),
  "networking.k8s.io/v1": () => import("kubernetes-models/networking.k8s.io/v1"),
  "policy/v1": () => import("kubernetes-models/policy/v1"),
  "rbac.authorization.k8s.io/v1": () => import("kubernetes-models/rbac.authorization.k8s.io/v1"),
  "storage.k8s.io/v1": () => import("kubernetes-models/storage.k8s.io/v1"),
};

export interface SchemaProblem {
  object: string;
  message: string;
}

/** Every schema problem of every manifest; an empty list means all are valid. */
export async function validateManifests(manifests: readonly Manifest[]): Promise<SchemaProblem[]> {
  const problems: SchemaProblem[] = [];
  for (const manifest of manifests) {
    const object = `${manifest.kind}/${manifest.metadata?.name ?? "?"}`;
    const loadGroup = groupModules[manifest.apiVersion];
    const Model = loadGroup ? ((await loadGroup())[manifest.kind] as ModelClass | undefined) : undefined;
    if (!Model) {
      problems.push({ object, message: `no schema for ${manifest.apiVersion} ${manifest.kind}` });
      continue;
    }
    try {
      new Model(manifest).validate();
    } catch (error) {
      problems.push({ object, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return problems;
}
