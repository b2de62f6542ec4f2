import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { projectDir } from "../../components/automation/localPulumi.js";

/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens. */
export function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, "")
    .replace(/ /g, "-");
}

function anchorsOf(markdown: string): Set<string> {
  const withoutCode = markdown.replace(/```[\s\S]*?```/g, "");
  return new Set([...withoutCode.matchAll(/^#{1,6} (.+)$/gm)].map((match) => headingAnchor(match[1]!)));
}

/** Relative links of a markdown file (code blocks excluded): `[text](target)`. */
function relativeLinks(markdown: string): string[] {
  const withoutCode = markdown.replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "");
  return [...withoutCode.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]!).filter((target) => !/^[a-z]+:/i.test(target));
}

const pages = ["README.md", ...readdirSync(join(projectDir, "docs")).filter((name) => name.endsWith(".md")).map((name) => `docs/${name}`)];

describe("documentation links", () => {
  it("computes GitHub's heading anchors", () => {
    assert.equal(headingAnchor("`pulumi up` end to end: on these machines"), "pulumi-up-end-to-end-on-these-machines");
    assert.equal(headingAnchor("Stack config reference (namespace `openclaw-fleet:`)"), "stack-config-reference-namespace-openclaw-fleet");
  });

  it("the README links every page in docs/", () => {
    const readme = readFileSync(join(projectDir, "README.md"), "utf8");
    for (const page of pages.filter((page) => page !== "README.md")) assert.ok(readme.includes(`](${page}`), `README.md does not link ${page}`);
  });

  for (const page of pages) {
    it(`${page}: every relative link names a file that exists, and a heading in it`, () => {
      const file = join(projectDir, page);
      const links = relativeLinks(readFileSync(file, "utf8"));
      for (const link of links) {
        const [path, anchor] = link.split("#") as [string, string | undefined];
        const target = path === "" ? file : resolve(dirname(file), path);
        assert.ok(existsSync(target), `${page} links ${link}: ${relative(projectDir, target)} does not exist`);
        if (anchor) assert.ok(anchorsOf(readFileSync(target, "utf8")).has(anchor), `${page} links ${link}: no heading with anchor #${anchor}`);
      }
    });
  }
});
