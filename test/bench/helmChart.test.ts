import assert from "node:assert/strict";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { helmChart, IMAGE_VALUE, objectTemplate, secretTemplate } from "../../bench/helm/chart.js";
import { renderStack } from "../../components/render/renderStack.js";

const projectDir = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * What Helm makes of the two template actions the generator writes (the image value and an escaped `{{`): enough to
 * read a template back without Helm, which unit tests do not build. The bench itself checks the chart with `helm template`.
 */
function evaluate(template: string, image: string): unknown {
  const actions = template.match(/{{.*?}}/g) ?? [];
  const unknown = actions.filter((action) => action !== IMAGE_VALUE && action !== '{{ "{{" }}');
  assert.deepEqual(unknown, [], "the templates hold no other action");
  return parse(template.replaceAll(IMAGE_VALUE, JSON.stringify(image)).replaceAll('{{ "{{" }}', "{{"));
}

describe("the bench's Helm chart", () => {
  it("has one template per rendered object, each the object itself at the image it is given", async () => {
    const rendered = await renderStack(projectDir, "local");
    for (const gateway of rendered.clusters) {
      const chart = helmChart(rendered.model.tenant, gateway);
      const templates = Object.entries(chart.files).filter(([path]) => path.startsWith("templates/") && path !== "templates/00-secret.yaml");
      assert.equal(templates.length, gateway.manifests.length);
      assert.deepEqual(templates.map(([, text]) => evaluate(text, chart.image)), JSON.parse(JSON.stringify(gateway.manifests)));
    }
  });

  it("makes the image the chart's value: another image changes every container and nothing else", async () => {
    const [gateway] = (await renderStack(projectDir, "local")).clusters;
    const chart = helmChart("local", gateway!);
    const deployment = Object.entries(chart.files).find(([path]) => path.includes("-deployment-"))![1];
    const released = evaluate(deployment, "registry.example/openclaw:next") as { spec: { template: { spec: { containers: { image: string }[]; initContainers: { image: string }[] } } } };
    const { containers, initContainers } = released.spec.template.spec;
    assert.ok(containers.length > 0);
    assert.ok([...containers, ...initContainers].every((container) => container.image === "registry.example/openclaw:next"));
    const original = gateway!.manifests.find((manifest) => manifest.kind === "Deployment")!;
    assert.equal(JSON.stringify(released).replaceAll("registry.example/openclaw:next", chart.image), JSON.stringify(original));
    assert.equal(parse(chart.files["values.yaml"]!).image, chart.image, "the default is the render's image");
  });

  it("writes text that looks like a template action as it is", () => {
    const configMap = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { "prompt.txt": "say {{ name }} and {{- trim }}" } };
    assert.deepEqual(evaluate(objectTemplate(configMap, "unused"), "unused"), configMap);
  });

  it("supplies the Secret the render leaves out from required values, with no value of its own", async () => {
    const [gateway] = (await renderStack(projectDir, "local")).clusters;
    const chart = helmChart("local", gateway!);
    const secret = chart.files["templates/00-secret.yaml"]!;
    assert.equal(secret, secretTemplate(gateway!.secret));
    assert.match(secret, new RegExp(`name: ${gateway!.secret.name}\\n  namespace: ${gateway!.secret.namespace}\\n`));
    for (const key of gateway!.secret.keys) assert.match(secret, new RegExp(`${key}: {{ required "values env.${key}" \\(index .Values.env "${key}"\\) \\| b64enc \\| quote }}`));
    assert.deepEqual(parse(chart.files["values.yaml"]!).env, Object.fromEntries(gateway!.secret.keys.map((key) => [key, null])), "no token in the chart");
  });

  it("refuses a render with other than one image", async () => {
    const [gateway] = (await renderStack(projectDir, "local")).clusters;
    const withoutPods = { ...gateway!, manifests: gateway!.manifests.filter((manifest) => manifest.kind !== "Deployment") };
    assert.throws(() => helmChart("local", withoutPods), /runs 0 images/);
  });
});
