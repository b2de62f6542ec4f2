import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { PROGRAM_BUILD_ENV, programSourceDigest } from "../../components/fleetops/programBuild.js";

const projectDir = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

describe("the program compiled once per fleet run", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "openclaw-program-build-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("is made again when a source of the program changes, and only then", () => {
    mkdirSync(join(dir, "components/gateway"), { recursive: true });
    writeFileSync(join(dir, "index.ts"), "export const a = 1;\n");
    writeFileSync(join(dir, "components/gateway/gateway.ts"), "export const b = 2;\n");
    writeFileSync(join(dir, "components/gateway/notes.md"), "not compiled\n");
    const first = programSourceDigest(dir);
    assert.equal(programSourceDigest(dir), first);
    writeFileSync(join(dir, "components/gateway/notes.md"), "still not compiled\n");
    assert.equal(programSourceDigest(dir), first, "a file tsc does not compile changes nothing");
    writeFileSync(join(dir, "components/gateway/gateway.ts"), "export const b = 3;\n");
    assert.notEqual(programSourceDigest(dir), first);
  });

  describe("the loader Pulumi.yaml names", () => {
    // A project of its own: index.ts prints where it ran from; the build's index.js says it is the build.
    const run = (env: Record<string, string>) => {
      writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
      symlinkSync(join(projectDir, "node_modules"), join(dir, "node_modules"));
      writeFileSync(join(dir, "index.ts"), 'const from: string = "sources"; console.log(from);\n');
      mkdirSync(join(dir, "build"));
      writeFileSync(join(dir, "build/index.js"), 'console.log("build");\n');
      const entry = pathToFileURL(join(dir, "index.ts")).href;
      return execFileSync(process.execPath, ["--import", join(projectDir, "scripts/programLoader.mjs"), "--input-type=module", "-e", `await import(${JSON.stringify(entry)})`], {
        cwd: dir,
        env: { ...process.env, ...env },
        encoding: "utf8",
      }).trim();
    };

    it("runs the sources through tsx when no build is named (pulumi up by hand)", function () {
      this.timeout(60_000);
      assert.equal(run({ [PROGRAM_BUILD_ENV]: "" }), "sources");
    });

    it("runs the named build's index.js instead of index.ts", function () {
      this.timeout(60_000);
      assert.equal(run({ [PROGRAM_BUILD_ENV]: join(dir, "build") }), "build");
    });
  });
});
