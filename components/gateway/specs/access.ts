import type { IRole, IRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1";
import type { GatewayContext } from "../context.js";
import { gatewayObjectNames, objectMeta } from "../naming.js";

const READ = ["get", "list", "watch"];

/**
 * What the app team may do in its tenant namespace: read the objects the stack puts there (but Secrets: the env
 * Secret holds the gateway token and the provider keys), follow logs and events, and port-forward to the gateway for
 * the Control UI. RBAC cannot name a pod whose name is generated, so port-forward covers the namespace's pods: the
 * gateway and the occasional maintenance pod. `pods/exec` only when the stack says `exec: true` (a shell in the
 * gateway reads every secret in its env). Both `get` and `create`: the websocket upgrade is authorized as `get`.
 */
export function appTeamRules(exec: boolean) {
  return [
    { apiGroups: [""], resources: ["pods", "services", "endpoints", "configmaps", "persistentvolumeclaims", "serviceaccounts", "events", "resourcequotas", "limitranges"], verbs: READ },
    { apiGroups: [""], resources: ["pods/log"], verbs: READ },
    { apiGroups: [""], resources: ["pods/portforward"], verbs: ["get", "create"] },
    ...(exec ? [{ apiGroups: [""], resources: ["pods/exec"], verbs: ["get", "create"] }] : []),
    { apiGroups: ["apps"], resources: ["deployments", "replicasets"], verbs: READ },
    { apiGroups: ["networking.k8s.io"], resources: ["ingresses", "networkpolicies"], verbs: READ },
    { apiGroups: ["policy"], resources: ["poddisruptionbudgets"], verbs: READ },
    { apiGroups: ["events.k8s.io"], resources: ["events"], verbs: READ },
    { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: READ },
  ];
}

const groupSubjects = (groups: readonly string[]) => groups.map((name) => ({ kind: "Group", apiGroup: "rbac.authorization.k8s.io", name }));

/** The app team's Role; present when the stack sets `access.appTeam`. */
export function buildAppTeamRole(context: GatewayContext): IRole | undefined {
  const appTeam = context.gateway.access?.appTeam;
  if (!appTeam) return undefined;
  return { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: objectMeta(context, gatewayObjectNames(context.tenant).appTeamRole), rules: appTeamRules(appTeam.exec) };
}

/** Binds the app team's groups to its Role. */
export function buildAppTeamBinding(context: GatewayContext): IRoleBinding | undefined {
  const appTeam = context.gateway.access?.appTeam;
  if (!appTeam) return undefined;
  const names = gatewayObjectNames(context.tenant);
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    metadata: objectMeta(context, names.appTeamBinding),
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: names.appTeamRole },
    subjects: groupSubjects(appTeam.groups),
  };
}

/**
 * The platform's groups get the built-in `admin` ClusterRole, bound in the tenant namespace only (everything in it,
 * Secrets and exec included, but not the Namespace, its quota's cluster-wide peers or RBAC beyond the namespace).
 */
export function buildPlatformBinding(context: GatewayContext): IRoleBinding | undefined {
  const platform = context.gateway.access?.platform;
  if (!platform) return undefined;
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    metadata: objectMeta(context, gatewayObjectNames(context.tenant).platformBinding),
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "admin" },
    subjects: groupSubjects(platform.groups),
  };
}
