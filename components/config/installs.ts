/**
 * `gateway.installs`: plugins and skills the gateway's own installer (`openclaw plugins install`, `openclaw skills
 * install --global`) fetches from npm or ClawHub at pod start, into the state volume (docs/agents.md, "Installing
 * at start"). Every entry is pinned to one exact version: a range or a tag (`latest`, `^1.2.0`) would install
 * something else on a later start, so the "already installed" check could never be trusted. Absent means off.
 */
import { z } from "zod";
import { egressRule } from "./networkShapes.js";

/** A plugin id as OpenClaw keys it in `plugins.entries` and names its folder under `<state>/extensions/`. */
export const PLUGIN_ID = /^[a-z0-9][a-z0-9._-]*$/;
/** One exact semver version: no range, no tag, no `x`. */
const EXACT_VERSION = "(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?(\\+[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?";
/** An npm package name (lower case, optionally scoped), as the registry accepts new names. */
const NPM_NAME = "(@[a-z0-9-~][a-z0-9-._~]*/)?[a-z0-9-~][a-z0-9-._~]*";
const PINNED_NPM_SPEC = new RegExp(`^${NPM_NAME}@${EXACT_VERSION}$`);
const PINNED_CLAWHUB_PLUGIN = new RegExp(`^${NPM_NAME}@${EXACT_VERSION}$`);
/** A ClawHub skill ref as `openclaw skills install` takes it: `@owner/slug`. */
const CLAWHUB_SKILL_REF = /^@[a-z0-9][a-z0-9-]*\/[a-z0-9][a-z0-9-]*$/;
const EXACT_VERSION_ONLY = new RegExp(`^${EXACT_VERSION}$`);

const pluginId = z.string().regex(PLUGIN_ID, "must be the plugin's id (its openclaw.plugin.json `id`): lower-case letters, digits, '.', '_', '-'");

const npmSpec = z
  .string()
  .regex(
    PINNED_NPM_SPEC,
    "must be an npm package pinned to one exact version, such as @acme/openclaw-weather@1.4.2 (a lower-case package name, '@', a version like 1.4.2 or 1.4.2-beta.1; no range such as ^1.4.0, no tag such as latest)",
  );
const clawhubPluginSpec = z
  .string()
  .regex(PINNED_CLAWHUB_PLUGIN, "must be a ClawHub package pinned to one exact version, such as @openclaw/discord@2026.9.6 (no range, no tag such as latest)");

const pluginInstall = z
  .strictObject({ id: pluginId, npm: npmSpec.optional(), clawhub: clawhubPluginSpec.optional() })
  .refine((plugin) => (plugin.npm === undefined) !== (plugin.clawhub === undefined), {
    error: "must set exactly one source: npm (a pinned npm package spec) or clawhub (a pinned ClawHub package)",
  });

const skillInstall = z.strictObject({
  clawhub: z.string().regex(CLAWHUB_SKILL_REF, "must be a ClawHub skill ref such as @owner/weather (lower-case owner and slug)"),
  version: z.string().regex(EXACT_VERSION_ONLY, "must be one exact version such as 1.2.0 (no range such as ^1.2.0, no tag such as latest)"),
});

const httpsOrHttpUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL such as https://npm.example.internal/" });

export const installsSchema = z
  .strictObject({
    plugins: z.array(pluginInstall).default([]),
    skills: z.array(skillInstall).default([]),
    /** An npm registry mirror (`npm_config_registry` for the installer's `npm pack`); default the public registry. */
    npmRegistry: httpsOrHttpUrl.optional(),
    /** A ClawHub mirror (`OPENCLAW_CLAWHUB_URL`); default https://clawhub.ai. */
    clawhubUrl: httpsOrHttpUrl.optional(),
    /** Where a mirror on a private address is reached (the NetworkPolicy's public-HTTPS rule does not cover it). */
    egress: z.array(egressRule).optional(),
  })
  .refine((installs) => installs.plugins.length + installs.skills.length > 0, {
    error: "must list at least one plugin or skill (remove installs to switch installing off)",
  })
  .superRefine((installs, context) => {
    // One folder per name on the state volume: a second entry would install over the first on every start.
    const duplicates = (list: "plugins" | "skills", names: string[]) =>
      names.forEach((name, index) => {
        const first = names.indexOf(name);
        if (first !== index) context.addIssue({ code: "custom", path: [list, index], message: `installs ${name} again (entry ${first} already does); list each once` });
      });
    duplicates("plugins", installs.plugins.map((plugin) => plugin.id));
    duplicates("skills", installs.skills.map((skill) => skill.clawhub.split("/")[1]!));
  });
export type InstallSettings = z.infer<typeof installsSchema>;

/** One installed thing: its kind, the name it is installed under, and the pinned source the installer is given. */
export interface InstallEntry {
  kind: "plugin" | "skill";
  /** The plugin id (`<state>/extensions/<id>`) or the skill's slug (`<state>/skills/<slug>`). */
  name: string;
  /** `npm-spec`, `clawhub:pkg@version`, or `@owner/slug@version`. */
  source: string;
}

/** The entries in install order, plugins first; what the init container and the config both read. */
export function installEntries(installs: InstallSettings | undefined): InstallEntry[] {
  if (!installs) return [];
  return [
    ...installs.plugins.map((plugin): InstallEntry => ({ kind: "plugin", name: plugin.id, source: plugin.npm ?? `clawhub:${plugin.clawhub!}` })),
    ...installs.skills.map((skill): InstallEntry => ({ kind: "skill", name: skill.clawhub.split("/")[1]!, source: `${skill.clawhub}@${skill.version}` })),
  ];
}

/** The plugin ids installed at start: the platform allows them by name (plugins.allow). */
export function installedPluginIds(installs: InstallSettings | undefined): string[] {
  return installs?.plugins.map((plugin) => plugin.id) ?? [];
}
