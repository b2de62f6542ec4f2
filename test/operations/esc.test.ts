import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { loadFleetConfig } from "../../components/config/load.js";
import { stackConfigSchema } from "../../components/config/schema.js";
import { renderStack } from "../../components/render/renderStack.js";
import { readStackFile } from "../../components/render/stackFile.js";
import { isSecretOutput, ofType, runProgram } from "../mocks.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const escDir = join(root, "esc");
const NAMESPACE = "openclaw-fleet";
/** The config keys the program reads only as secrets (`stackSecrets`: getSecretObject). */
const SECRET_KEYS = ["apiKeys", "kubeconfigs"];

type Definition = { values: Record<string, any> };
const environments = readdirSync(escDir).filter((f) => f.endsWith(".yaml"));
const definition = (file: string): Definition => parse(readFileSync(join(escDir, file), "utf8"));
const fileOf = (environment: string) => `${environment.replace("/", "-")}.yaml`; // openclaw-fleet/prod -> openclaw-fleet-prod.yaml

/**
 * What a stack receives from an ESC environment's `pulumiConfig`, for the subset of ESC these files use:
 * `${path}` interpolation of a whole value and `fn::secret`. Leaf values are replaced by distinctive strings
 * so a leak of any of them can be searched for.
 */
function projectPulumiConfig(values: Record<string, any>): { config: Record<string, unknown>; secretLeaves: string[] } {
  const secretLeaves: string[] = [];
  const evaluate = (value: any, path: string): any => {
    if (typeof value === "string") {
      const reference = /^\$\{([\w.-]+)\}$/.exec(value);
      if (!reference) return value;
      const target = reference[1]!.split(".").reduce((node: any, key) => node?.[key], values);
      assert.ok(target !== undefined, `\${${reference[1]}} at ${path} names no value`);
      return evaluate(target, reference[1]!);
    }
    if (value && typeof value === "object" && "fn::secret" in value) {
      const leaf = `esc-secret:${path}`;
      secretLeaves.push(leaf);
      return leaf;
    }
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, evaluate(v, `${path}.${k}`)]));
    return value;
  };
  return { config: evaluate(values.pulumiConfig, "pulumiConfig"), secretLeaves };
}

/** Stack files that import ESC environments, with the environments they import. */
function importingStacks(): { stack: string; imports: string[] }[] {
  return readdirSync(root)
    .map((file) => /^Pulumi\.([^.]+)\.yaml$/.exec(file)?.[1])
    .filter((stack): stack is string => stack !== undefined)
    .map((stack) => ({ stack, imports: (parse(readFileSync(join(root, `Pulumi.${stack}.yaml`), "utf8")).environment ?? []) as string[] }))
    .filter(({ imports }) => imports.length > 0);
}

describe("ESC environments", () => {
  for (const file of environments) {
    describe(file, () => {
      const { values } = definition(file);

      it("feeds the program only through its config contract: secret keys of openclaw-fleet:", () => {
        const keys = Object.keys(values.pulumiConfig);
        assert.ok(keys.length > 0);
        for (const key of keys) {
          const [namespace, name] = key.split(":");
          assert.equal(namespace, NAMESPACE, key);
          assert.ok(name! in stackConfigSchema.shape, `${key} is not in the stack config contract`);
          assert.ok(SECRET_KEYS.includes(name!), `${key} is not a secret key; plain settings belong in Pulumi.<stack>.yaml`);
        }
      });

      it("keeps every kubeconfig and API key a secret, and no real one in the file", () => {
        for (const group of ["kubeconfigs", "apiKeys"]) {
          for (const [name, value] of Object.entries(values[group] ?? {})) {
            assert.deepEqual(Object.keys(value as object), ["fn::secret"], `${group}.${name}`);
            assert.match((value as any)["fn::secret"], /^REPLACE_WITH_/, `${group}.${name} must be a placeholder in git`);
          }
        }
      });

      it("resolves every interpolation", () => {
        assert.doesNotThrow(() => projectPulumiConfig(values));
      });
    });
  }

  it("defines every environment a stack imports, and the prod stack imports its own", () => {
    const stacks = importingStacks();
    assert.deepEqual(stacks.find((s) => s.stack === "prod")?.imports, ["openclaw-fleet/prod"]);
    for (const { stack, imports } of stacks) for (const environment of imports) assert.ok(environments.includes(fileOf(environment)), `${stack} imports ${environment}`);
  });

  for (const { stack, imports } of importingStacks()) {
    describe(`the ${stack} stack with ${imports.join(", ")}`, () => {
      const projected = () => {
        const { raw } = readStackFile(join(root, `Pulumi.${stack}.yaml`));
        const merged: Record<string, string> = { ...raw };
        const secretLeaves: string[] = [];
        // The engine marks a config key secret when an `fn::secret` value reaches it.
        const secretKeys: string[] = [];
        for (const environment of imports) {
          const { config, secretLeaves: leaves } = projectPulumiConfig(definition(fileOf(environment)).values);
          secretLeaves.push(...leaves);
          for (const [key, value] of Object.entries(config)) {
            merged[key.slice(NAMESPACE.length + 1)] = JSON.stringify(value);
            if (leaves.some((leaf) => JSON.stringify(value).includes(leaf))) secretKeys.push(key.slice(NAMESPACE.length + 1));
          }
        }
        return { raw, merged, secretLeaves, secretKeys };
      };

      it("still renders offline: the renderer reads config: only", async () => {
        const rendered = await renderStack(root, stack);
        assert.deepEqual(rendered.schemaProblems, []);
        // The top-level `environment:` import is not mistaken for the `openclaw-fleet:environment` setting.
        const file = parse(readFileSync(join(root, `Pulumi.${stack}.yaml`), "utf8"));
        assert.equal(rendered.model.environment, file.config[`${NAMESPACE}:environment`]);
      });

      it("passes the config contract with the environment's values: kubeconfigs name the stack's clusters", () => {
        const { merged, secretKeys } = projected();
        const model = loadFleetConfig(merged, { secretKeys });
        for (const gateway of model.gateways) assert.equal(gateway.hasInlineKubeconfig, true, `no kubeconfig for ${gateway.cluster}`);
      });

      it("keeps the environment's secrets secret in every resource and output", async () => {
        const { merged, secretLeaves, secretKeys } = projected();
        assert.ok(secretKeys.includes("kubeconfigs"), `the environment's kubeconfigs reach the stack as secrets: ${secretKeys.join(", ")}`);
        const { resources, outputs } = await runProgram(merged, { secretKeys });
        for (const resource of resources) {
          const plain = JSON.stringify(stripSecrets(resource.inputs));
          for (const leaf of secretLeaves) assert.ok(!plain.includes(leaf), `${leaf} is plain in ${resource.name}`);
        }
        // ... and they do reach the objects (inside the secret envelope): the test would see a leak.
        const everything = JSON.stringify(resources.map((r) => r.inputs));
        for (const leaf of secretLeaves) assert.ok(everything.includes(leaf), `${leaf} reaches no resource`);
        const clusters = loadFleetConfig(merged, { secretKeys }).gateways.map((g) => g.cluster);
        for (const provider of ofType(resources, "pulumi:providers:kubernetes", clusters[0]!)) {
          assert.ok(JSON.stringify(provider.inputs.kubeconfig).includes(SECRET_SIG), `the kubeconfig reaches ${provider.name} as a secret`);
        }
        assert.equal(await isSecretOutput(outputs.gatewayTokens as pulumi.Output<unknown>), true);
      });
    });
  }
});

/** How Pulumi serializes a secret: `{[SECRET_SIG]: "1b47061264138c4ac30d75fd1eb44270", value}`. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
function stripSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripSecrets);
  if (value && typeof value === "object") {
    if (SECRET_SIG in value) return "<secret>";
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stripSecrets(v)]));
  }
  return value;
}
