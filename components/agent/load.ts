/**
 * The fleet model with its agent content: the folder the stack's `agent` names, read and checked against every
 * gateway's limits. Called where the project directory is known (the program, the renderer); throws a ConfigError
 * with every problem, so a bad folder deploys nothing.
 */
import { isPlainObject } from "../config/deepMerge.js";
import { ConfigError, configPath, type ConfigProblem } from "../config/errors.js";
import type { FleetModel } from "../config/load.js";
import { bootstrapLimitProblems, bootstrapLimits } from "./bootstrapLimits.js";
import type { AgentContent } from "./content.js";
import { readAgentFolder } from "./folder.js";

/** The fleet model with the agent folder's content, once read: shipped to every gateway (docs/agents.md). */
export type FleetWithAgent = FleetModel & { agent?: AgentContent };

export function withAgentContent(model: FleetModel, projectDir: string): FleetWithAgent {
  if (!model.agentSource) return model;
  const { content, problems } = readAgentFolder(projectDir, model.agentSource);
  if (!content) throw new ConfigError(problems);
  // The same problem on several clusters is one problem naming them.
  const found = new Map<string, { problem: ConfigProblem; clusters: string[] }>();
  const add = (problem: ConfigProblem, cluster: string) => {
    const key = `${problem.path}\n${problem.message}`;
    const entry = found.get(key) ?? { problem, clusters: [] };
    entry.clusters.push(cluster);
    found.set(key, entry);
  };
  for (const gateway of model.gateways) {
    for (const message of bootstrapLimitProblems(content, bootstrapLimits(gateway.settings.config))) add({ path: configPath(["agent", "path"]), message }, gateway.cluster);
    // The init container writes the folder into <state>/workspace; a workspace elsewhere would never see it.
    const agents = gateway.settings.config.agents;
    if (isPlainObject(agents) && isPlainObject(agents.defaults) && agents.defaults.workspace !== undefined) {
      add({ path: configPath(["gateway", "config", "agents", "defaults", "workspace"]), message: "is set, but the agent folder is written to the default workspace (<state>/workspace); remove it" }, gateway.cluster);
    }
  }
  if (found.size > 0) throw new ConfigError([...found.values()].map(({ problem, clusters }) => ({ path: problem.path, message: `${problem.message} (clusters: ${clusters.join(", ")})` })));
  return { ...model, agent: content };
}
