import assert from "node:assert/strict";
import { formatChanges, readRelease, releaseChanges, writeRelease } from "../../components/promotion/releaseValues.js";

const stackFile = (agent?: string) => `config:
  openclaw-fleet:tenant: acme
  openclaw-fleet:environment: staging
  openclaw-fleet:clusters:
    - name: alpha
${agent ?? ""}`;
const WITH_AGENT = stackFile(`  openclaw-fleet:agent:
    path: agents/acme
    seed:
      - workspace/MEMORY.md
`);

describe("the agent folder as a release key (openclaw-fleet:agent)", () => {
  it("is read from the stack file, and unset when the stack has none", () => {
    assert.deepEqual(readRelease("Pulumi.dev.yaml", WITH_AGENT).agent, { path: "agents/acme", seed: ["workspace/MEMORY.md"] });
    assert.equal(readRelease("Pulumi.stage.yaml", stackFile()).agent, undefined);
  });

  it("is promoted: a change shown by value, written into the target, and removed from it when the source has none", () => {
    const source = readRelease("Pulumi.dev.yaml", WITH_AGENT);
    const target = readRelease("Pulumi.stage.yaml", stackFile());
    const changes = releaseChanges(target, source);
    assert.deepEqual(changes.map((change) => change.key.path), ["agent"]);
    assert.match(formatChanges("Pulumi.stage.yaml", "dev", changes), /openclaw-fleet:agent: \(unset\) -> \{"path":"agents\/acme","seed":\["workspace\/MEMORY\.md"\]\}/);
    const written = writeRelease("Pulumi.stage.yaml", stackFile(), source);
    assert.deepEqual(readRelease("Pulumi.stage.yaml", written).agent, source.agent);
    assert.deepEqual(releaseChanges(readRelease("Pulumi.stage.yaml", written), source), []);
    const removed = writeRelease("Pulumi.stage.yaml", WITH_AGENT, target);
    assert.equal(readRelease("Pulumi.stage.yaml", removed).agent, undefined);
    assert.doesNotMatch(removed, /agent/);
  });
});
