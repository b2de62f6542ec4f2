// Reading a generated page the way a person sees it: Debian's Chromium (scripts/ensure-chromium.sh installs it
// when missing) loads the file and dumps the DOM it built.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { projectDir } from "../../components/automation/localPulumi.js";

/** The DOM Chromium builds from a file. `--no-sandbox`: CI runs as root, where Chromium's sandbox refuses to start. */
export function renderedDom(file: string): string {
  const chromium = execFileSync(join(projectDir, "scripts/ensure-chromium.sh"), { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
  const profile = mkdtempSync(join(tmpdir(), "chromium-profile-"));
  try {
    return execFileSync(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", `--user-data-dir=${profile}`, "--dump-dom", pathToFileURL(file).href], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 60_000,
    });
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

/** Each grid cell of the dumped DOM: its stack, cluster, classes and text. */
export function gridCells(dom: string) {
  return [...dom.matchAll(/<td class="([^"]*)" data-stack="([^"]*)" data-cluster="([^"]*)"[^>]*>([\s\S]*?)<\/td>/g)].map(([, classes, stack, cluster, inner]) => ({
    stack,
    cluster,
    classes: classes!.split(" "),
    text: inner!.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim(),
  }));
}
