import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { InputError } from "../../components/config/errors.js";
import { DEFAULT_IMAGE } from "../../components/config/versions.js";
import { planPromotion } from "../../components/promotion/promotionPlan.js";
import { contentHash, formatChanges, readRelease, writeRelease } from "../../components/promotion/releaseValues.js";

const stackFile = (lines: { environment: string; gateway?: string; clusters?: string; extra?: string }) => `# the ${lines.environment} stack; keep this comment
config:
  pulumi:disable-default-providers: ["*"]
  openclaw-fleet:tenant: acme # who owns it
  openclaw-fleet:fleet: true
  openclaw-fleet:environment: ${lines.environment}
${lines.gateway ?? ""}  openclaw-fleet:clusters:
${lines.clusters ?? "    - name: eu-west\n      context: ctx-eu\n"}${lines.extra ?? ""}`;

const devGateway = `  openclaw-fleet:gateway:
    image: ghcr.io/openclaw/openclaw:2026.9.7-slim
    config:
      agents: { defaults: { model: anthropic/claude } }
    resources:
      limits: { cpu: "1", memory: 2Gi }
`;
const stageGateway = `  openclaw-fleet:gateway:
    image: ghcr.io/openclaw/openclaw:2026.9.6-slim # the release in staging
    storage:
      size: 10Gi
`;

describe("promotion plan: release keys written, environment keys untouched", () => {
  let dir: string;
  const write = (stack: string, text: string) => writeFileSync(join(dir, `Pulumi.${stack}.yaml`), text);
  const plan = (names: string[], stacks?: string) => planPromotion(dir, names, { from: "dev", to: "stage", ...(stacks ? { stacks } : {}) });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "promote-plan-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("diffs only release keys: the image by value, the config fragment by content hash", () => {
    write("acme-dev", stackFile({ environment: "dev", gateway: devGateway }));
    write("acme-stage", stackFile({ environment: "staging", gateway: stageGateway }));
    const [only, ...rest] = plan(["acme-dev", "acme-stage"]);
    assert.deepEqual(rest, []);
    assert.deepEqual(only!.changes.map((change) => change.key.path), ["image", "config"]);
    const text = formatChanges(only!.targetFile, only!.source, only!.changes);
    assert.equal(
      text,
      "Pulumi.acme-stage.yaml (from acme-dev):\n" +
        "  openclaw-fleet:gateway.image: ghcr.io/openclaw/openclaw:2026.9.6-slim -> ghcr.io/openclaw/openclaw:2026.9.7-slim\n" +
        `  openclaw-fleet:gateway.config: ${contentHash({})} -> ${contentHash({ agents: { defaults: { model: "anthropic/claude" } } })}`,
    );
    assert.doesNotMatch(text, /claude|resources|storage/, "the config's content and environment keys are not in the diff");
  });

  it("writes the release into the target's YAML, keeping its environment keys and comments", () => {
    write("acme-dev", stackFile({ environment: "dev", gateway: devGateway }));
    const before = stackFile({ environment: "staging", gateway: stageGateway });
    write("acme-stage", before);
    const [only] = plan(["acme-dev", "acme-stage"]);
    const after = parse(only!.newText).config;
    const previous = parse(before).config;
    assert.equal(after["openclaw-fleet:gateway"].image, "ghcr.io/openclaw/openclaw:2026.9.7-slim");
    assert.deepEqual(after["openclaw-fleet:gateway"].config, { agents: { defaults: { model: "anthropic/claude" } } });
    // dev's resources are an environment key: not carried over; stage's storage stays.
    assert.equal(after["openclaw-fleet:gateway"].resources, undefined);
    assert.deepEqual(after["openclaw-fleet:gateway"].storage, { size: "10Gi" });
    for (const key of Object.keys(previous).filter((key) => key !== "openclaw-fleet:gateway")) assert.deepEqual(after[key], previous[key], key);
    assert.match(only!.newText, /^# the staging stack; keep this comment$/m);
    assert.match(only!.newText, /openclaw-fleet:tenant: acme # who owns it/);
    // The plan writes nothing itself.
    assert.equal(readFileSync(join(dir, "Pulumi.acme-stage.yaml"), "utf8"), before);
  });

  it("is idempotent: the target with the release written in has nothing to promote", () => {
    write("acme-dev", stackFile({ environment: "dev", gateway: devGateway }));
    write("acme-stage", stackFile({ environment: "staging", gateway: stageGateway }));
    write("acme-stage", plan(["acme-dev", "acme-stage"])[0]!.newText);
    const [again] = plan(["acme-dev", "acme-stage"]);
    assert.deepEqual(again!.changes, []);
    assert.equal(again!.newText, readFileSync(join(dir, "Pulumi.acme-stage.yaml"), "utf8"));
  });

  it("takes an unset key as the program's default: a target pinning the default has nothing to promote", () => {
    write("dev", stackFile({ environment: "dev" }));
    write("stage", stackFile({ environment: "staging", gateway: `  openclaw-fleet:gateway:\n    image: ${DEFAULT_IMAGE}\n` }));
    assert.deepEqual(plan(["dev", "stage"])[0]!.changes, []);
    assert.equal(readRelease("Pulumi.dev.yaml", stackFile({ environment: "dev" })).image, DEFAULT_IMAGE);
  });

  it("writes a release key into a target that had no gateway settings", () => {
    const text = writeRelease("Pulumi.stage.yaml", stackFile({ environment: "staging" }), { image: "ghcr.io/openclaw/openclaw:2026.9.7-slim", command: ["node", "/app/dist/index.js", "gateway", "run"], config: {} });
    assert.deepEqual(parse(text).config["openclaw-fleet:gateway"], { image: "ghcr.io/openclaw/openclaw:2026.9.7-slim" });
  });

  const refused = (pattern: RegExp) => (error: Error) => error instanceof InputError && /^nothing written:/.test(error.message) && pattern.test(error.message);

  it("refuses a release key the target pins at cluster level, naming the path and what to do", () => {
    write("acme-dev", stackFile({ environment: "dev", gateway: devGateway }));
    write("acme-stage", stackFile({ environment: "staging", gateway: stageGateway, clusters: "    - name: eu-west\n      overrides:\n        image: ghcr.io/openclaw/openclaw:2026.9.5-slim\n" }));
    assert.throws(() => plan(["acme-dev", "acme-stage"]), refused(/Pulumi\.acme-stage\.yaml: openclaw-fleet:clusters\[0\]\.overrides\.image \(eu-west\) pins a release key, so the promoted release would not reach that cluster; remove the override/));
  });

  it("refuses a source whose clusters pin their own release", () => {
    write("acme-dev", stackFile({ environment: "dev", gateway: devGateway, clusters: "    - name: a\n    - name: b\n      overrides:\n        config: { x: 1 }\n" }));
    write("acme-stage", stackFile({ environment: "staging", gateway: stageGateway }));
    assert.throws(() => plan(["acme-dev", "acme-stage"]), refused(/Pulumi\.acme-dev\.yaml: openclaw-fleet:clusters\[1\]\.overrides\.config \(b\) pins a release key for one cluster/));
  });

  it("refuses a secret among the release keys", () => {
    write("acme-dev", stackFile({ environment: "dev", gateway: "  openclaw-fleet:gateway:\n    config:\n      token:\n        secure: AAABAB==\n" }));
    write("acme-stage", stackFile({ environment: "staging" }));
    assert.throws(() => plan(["acme-dev", "acme-stage"]), refused(/openclaw-fleet:gateway\.config holds a secret; secrets belong to an environment/));
  });

  it("refuses a release the target's environment would refuse (a moving tag into prod)", () => {
    write("acme-stage", stackFile({ environment: "staging", gateway: "  openclaw-fleet:gateway:\n    image: ghcr.io/openclaw/openclaw:latest\n" }));
    write("acme-prod", stackFile({ environment: "prod", gateway: stageGateway }));
    assert.throws(() => planPromotion(dir, ["acme-stage", "acme-prod"], { from: "stage", to: "prod" }), refused(/Pulumi\.acme-prod\.yaml would be refused with this release: openclaw-fleet:gateway\.image: .*moving tag/));
  });
});
