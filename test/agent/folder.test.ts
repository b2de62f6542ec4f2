import assert from "node:assert/strict";
import { readAgentFolder } from "../../components/agent/folder.js";
import { CONFIGMAP_DATA_LIMIT_BYTES } from "../../components/agent/contentIndex.js";
import { tempProject, VALID_FOLDER, type FolderEntry } from "./agentFolder.js";

const SOURCE = { path: "agents/acme", seed: ["workspace/MEMORY.md"] };

function read(files: Record<string, FolderEntry>, source: { path: string; seed: string[] } = SOURCE) {
  const project = tempProject(files);
  try {
    return { ...readAgentFolder(project.dir, source), projectDir: project.dir };
  } finally {
    project.remove();
  }
}

/** The one problem reading the folder reports: its config path and message. */
function problemOf(files: Record<string, FolderEntry>, source = SOURCE) {
  const { content, problems } = read(files, source);
  assert.equal(content, undefined, "the folder was accepted");
  assert.equal(problems.length, 1, problems.map((problem) => `${problem.path}: ${problem.message}`).join("\n"));
  return problems[0]!;
}

describe("agent folder (components/agent/folder.ts)", () => {
  it("maps workspace/ to the workspace and skills/ to the workspace's skills/, leaves config.yaml out, and marks the seed files", () => {
    const { content, problems } = read(VALID_FOLDER);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      content!.files.map((file) => [file.source, file.target, file.policy]),
      [
        ["workspace/AGENTS.md", "AGENTS.md", "managed"],
        ["workspace/MEMORY.md", "MEMORY.md", "seed"],
        ["workspace/SOUL.md", "SOUL.md", "managed"],
        ["workspace/notes/today.md", "notes/today.md", "managed"],
        ["skills/weather/SKILL.md", "skills/weather/SKILL.md", "managed"],
        ["skills/weather/reference.md", "skills/weather/reference.md", "managed"],
      ],
    );
    assert.equal(content!.files.find((file) => file.target === "SOUL.md")!.text, "# Soul\n");
  });

  it("follows a symlink to a file inside the folder", () => {
    const { content } = read({ ...VALID_FOLDER, "agents/acme/workspace/USER.md": { symlink: "SOUL.md" } });
    assert.equal(content!.files.find((file) => file.target === "USER.md")!.text, "# Soul\n");
  });

  describe("refuses before deploy, naming the config path and the file", () => {
    it("a missing folder", () => {
      const problem = problemOf({ "Pulumi.yaml": "name: x\n" });
      assert.equal(problem.path, "openclaw-fleet:agent.path");
      assert.match(problem.message, /"agents\/acme": no such folder/);
    });

    it("a file that is not UTF-8", () => {
      const problem = problemOf({ ...VALID_FOLDER, "agents/acme/workspace/logo.png": Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0xfe, 0x00]) });
      assert.equal(problem.path, "openclaw-fleet:agent.path");
      assert.match(problem.message, /^agents\/acme\/workspace\/logo\.png: is not UTF-8 text; binary files are not shipped/);
    });

    it("a skill without SKILL.md", () => {
      const problem = problemOf({ ...VALID_FOLDER, "agents/acme/skills/broken/README.md": "no skill file\n" });
      assert.match(problem.message, /^agents\/acme\/skills\/broken: is a skill without SKILL\.md/);
    });

    it("a name that is not a valid path segment", () => {
      const problem = problemOf({ ...VALID_FOLDER, "agents/acme/workspace/my notes.md": "x\n" });
      assert.match(problem.message, /^agents\/acme\/workspace\/my notes\.md: "my notes\.md" is not a valid file name/);
    });

    it("'..' or an absolute path as the folder", () => {
      assert.match(problemOf(VALID_FOLDER, { path: "../elsewhere", seed: [] }).message, /"\.\.\/elsewhere" contains '\.\.'/);
      const absolute = problemOf(VALID_FOLDER, { path: "/etc", seed: [] });
      assert.equal(absolute.path, "openclaw-fleet:agent.path");
      assert.match(absolute.message, /"\/etc" is an absolute path/);
    });

    it("'..' or an absolute path in seed, at seed[i]", () => {
      const dotdot = problemOf(VALID_FOLDER, { path: "agents/acme", seed: ["workspace/MEMORY.md", "../secrets.txt"] });
      assert.equal(dotdot.path, "openclaw-fleet:agent.seed[1]");
      assert.match(dotdot.message, /contains '\.\.'/);
      const absolute = problemOf(VALID_FOLDER, { path: "agents/acme", seed: ["/etc/passwd"] });
      assert.equal(absolute.path, "openclaw-fleet:agent.seed[0]");
    });

    it("a seed entry that is no file of the folder", () => {
      const problem = problemOf(VALID_FOLDER, { path: "agents/acme", seed: ["workspace/HEARTBEAT.md"] });
      assert.equal(problem.path, "openclaw-fleet:agent.seed[0]");
      assert.match(problem.message, /"workspace\/HEARTBEAT\.md" is not a file of agents\/acme/);
    });

    it("a symlink pointing outside the folder", () => {
      const problem = problemOf({ ...VALID_FOLDER, "secret.txt": "outside\n", "agents/acme/workspace/TOOLS.md": { symlink: "../../../secret.txt" } });
      assert.match(problem.message, /^agents\/acme\/workspace\/TOOLS\.md: is a symlink pointing outside the agent folder/);
    });

    it("a folder that is a symlink out of the project directory", () => {
      const outside = tempProject(VALID_FOLDER);
      try {
        const problem = problemOf({ "agents/acme": { symlink: `${outside.dir}/agents/acme` } });
        assert.match(problem.message, /resolves outside the project directory/);
      } finally {
        outside.remove();
      }
    });

    it("an entry at the folder's top that is not workspace/, skills/ or config.yaml", () => {
      const problem = problemOf({ ...VALID_FOLDER, "agents/acme/AGENTS.md": "# misplaced\n" });
      assert.match(problem.message, /^agents\/acme\/AGENTS\.md: is not part of an agent folder; it holds workspace\/, skills\/, config\.yaml/);
    });

    it("skills under workspace/skills/ instead of skills/", () => {
      const problem = problemOf({ ...VALID_FOLDER, "agents/acme/workspace/skills/x/SKILL.md": "x\n" });
      assert.match(problem.message, /^agents\/acme\/workspace\/skills\/x\/SKILL\.md: skills belong in the folder's skills\/<skill>\//);
    });

    it("content over what one ConfigMap holds (1 MiB), with the size and the largest file", () => {
      const problem = problemOf({ ...VALID_FOLDER, "agents/acme/workspace/big.md": "x".repeat(CONFIGMAP_DATA_LIMIT_BYTES) });
      assert.match(problem.message, /^agents\/acme holds \d+ bytes, more than the 1048576 bytes \(1 MiB\) a ConfigMap may hold; the largest files: agents\/acme\/workspace\/big\.md \(1048576 bytes\)/);
    });

    it("every problem at once", () => {
      const { problems } = read({ ...VALID_FOLDER, "agents/acme/workspace/a b": "x", "agents/acme/skills/empty/notes.md": "x" });
      assert.equal(problems.length, 2);
    });
  });
});
