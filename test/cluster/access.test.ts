/**
 * The access roles on real API servers: the rendered Role and RoleBindings applied to a tenant namespace, then the
 * API server's own authorizer asked (SubjectAccessReview, what `kubectl auth can-i --as ... --as-group ...` asks)
 * what the app team's and the platform's users may do, allowed and denied both.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { AuthorizationV1Api } from "@kubernetes/client-node";
import { buildObjects } from "../../components/gateway/objects.js";
import { secretKeys } from "../../components/gateway/specs/secret.js";
import { gatewayContexts } from "../../components/render/renderFleet.js";
import { model } from "../fixtures.js";
import { apply, connect, deleteNamespace, type Manifest, type TestCluster } from "./kube.js";
import { loadStackFile } from "../../components/render/renderStack.js";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const projectDir = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const context = process.env.OPENCLAW_FLEET_TEST_CONTEXTS?.split(",")[0] ?? loadStackFile(projectDir, "local").gateways[0]!.context!;

const APP_GROUP = "acme-app-team";
const PLATFORM_GROUP = "platform-sre";

interface Ask {
  verb: string;
  resource: string;
  subresource?: string;
  group?: string;
  namespace: string;
}

describe("real Kubernetes: the access roles (app team and platform) in a tenant namespace", function () {
  this.timeout(2 * 60_000);
  const tenant = `access-${randomBytes(3).toString("hex")}`;
  const namespace = `openclaw-${tenant}`;
  const otherNamespace = `openclaw-${tenant}-other`;
  let cluster: TestCluster;
  let authorization: AuthorizationV1Api;

  /** The tenant's Namespace and RBAC objects as the program renders them for this access config. */
  const rbacObjects = (access: Record<string, unknown>, ns = namespace) => {
    const [gateway] = gatewayContexts(model({ tenant, environment: "dev", access, clusters: [{ name: "local", namespace: ns }] }));
    const objects = buildObjects(gateway!, { secretValues: Object.fromEntries(secretKeys(gateway!).map((key) => [key, "x"])), podChecksum: "x" });
    return [objects.namespace, objects.appTeamRole, objects.appTeamBinding, objects.platformBinding].filter((object) => object !== undefined) as Manifest[];
  };

  /** Whether the API server lets this user, in these groups, do it (SubjectAccessReview). */
  async function can(user: string, groups: string[], ask: Ask): Promise<boolean> {
    const review = await authorization.createSubjectAccessReview({
      body: {
        apiVersion: "authorization.k8s.io/v1",
        kind: "SubjectAccessReview",
        spec: { user, groups, resourceAttributes: { verb: ask.verb, resource: ask.resource, subresource: ask.subresource, group: ask.group ?? "", namespace: ask.namespace } },
      },
    });
    return review.status?.allowed === true;
  }

  const describeAsk = (ask: Ask) => `${ask.verb} ${ask.group ? `${ask.group}/` : ""}${ask.resource}${ask.subresource ? `/${ask.subresource}` : ""} in ${ask.namespace}`;
  async function assertAccess(user: string, groups: string[], allowed: Ask[], denied: Ask[]) {
    for (const ask of allowed) assert.equal(await can(user, groups, ask), true, `${user} (${groups.join(",")}) may not ${describeAsk(ask)}`);
    for (const ask of denied) assert.equal(await can(user, groups, ask), false, `${user} (${groups.join(",")}) may ${describeAsk(ask)}`);
  }

  before(async () => {
    cluster = connect(context);
    authorization = cluster.config.makeApiClient(AuthorizationV1Api);
    const access = { appTeam: { groups: [APP_GROUP] }, platform: { groups: [PLATFORM_GROUP] } };
    for (const object of [...rbacObjects(access), ...rbacObjects(access, otherNamespace).slice(0, 1)]) await apply(cluster, object);
  });
  after(() => Promise.all([deleteNamespace(cluster, namespace), deleteNamespace(cluster, otherNamespace)]));

  const inTenant = (verb: string, resource: string, extra: Partial<Ask> = {}): Ask => ({ verb, resource, namespace, ...extra });

  it("the app team reads its objects, logs and events and port-forwards; never Secrets, exec, writes, RBAC or another namespace", async () => {
    await assertAccess(
      "alice",
      [APP_GROUP],
      [
        inTenant("list", "pods"),
        inTenant("get", "pods", { subresource: "log" }),
        inTenant("create", "pods", { subresource: "portforward" }),
        inTenant("watch", "deployments", { group: "apps" }),
        inTenant("list", "events"),
        inTenant("get", "configmaps"),
        inTenant("list", "networkpolicies", { group: "networking.k8s.io" }),
      ],
      [
        inTenant("get", "secrets"),
        inTenant("list", "secrets"),
        inTenant("create", "pods", { subresource: "exec" }),
        inTenant("delete", "pods"),
        inTenant("patch", "deployments", { group: "apps" }),
        inTenant("update", "configmaps"),
        inTenant("create", "rolebindings", { group: "rbac.authorization.k8s.io" }),
        { verb: "list", resource: "pods", namespace: otherNamespace },
        { verb: "get", resource: "pods", subresource: "log", namespace: otherNamespace },
      ],
    );
  });

  it("the platform is admin in the tenant namespace (Secrets and exec included), and only there", async () => {
    await assertAccess(
      "pat",
      [PLATFORM_GROUP],
      [inTenant("get", "secrets"), inTenant("create", "pods", { subresource: "exec" }), inTenant("delete", "deployments", { group: "apps" }), inTenant("create", "rolebindings", { group: "rbac.authorization.k8s.io" })],
      [{ verb: "get", resource: "secrets", namespace: otherNamespace }, { verb: "delete", resource: "namespaces", namespace: "" }],
    );
  });

  it("a user in neither group gets nothing", async () => {
    await assertAccess("mallory", ["some-other-team"], [], [inTenant("list", "pods"), inTenant("get", "pods", { subresource: "log" }), inTenant("create", "pods", { subresource: "portforward" })]);
  });

  it("exec: true lets the app team exec, still without Secrets; taking it back takes exec away", async () => {
    for (const object of rbacObjects({ appTeam: { groups: [APP_GROUP], exec: true } })) await apply(cluster, object);
    await assertAccess("alice", [APP_GROUP], [inTenant("create", "pods", { subresource: "exec" })], [inTenant("get", "secrets")]);
    for (const object of rbacObjects({ appTeam: { groups: [APP_GROUP] } })) await apply(cluster, object);
    await assertAccess("alice", [APP_GROUP], [inTenant("list", "pods")], [inTenant("create", "pods", { subresource: "exec" })]);
  });
});
