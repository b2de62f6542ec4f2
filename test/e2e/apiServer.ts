import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { projectDir } from "../../components/automation/localPulumi.js";

const run = promisify(execFile);

/** Stops and restarts the control plane of local cluster N (`scripts/clusters.sh stop|start N`). */
export function apiServer(index: number) {
  const clusters = (command: string) => run(`${projectDir}/scripts/clusters.sh`, [command, String(index)], { timeout: 120_000 });
  return { stop: () => clusters("stop"), start: () => clusters("start") };
}
