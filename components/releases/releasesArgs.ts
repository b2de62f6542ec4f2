/** `npm run fleet -- releases [options]`, parsed and checked before any registry is asked (a bad argument exits 2). */
import { parseArgs } from "node:util";
import { InputError } from "../config/errors.js";

export interface ReleasesArgs {
  stacks?: string;
  ring?: number;
  registry?: string;
  preReleases: boolean;
  /** Print the listing as JSON on stdout instead of the table. */
  json: boolean;
}

const OPTIONS = {
  stacks: { type: "string" },
  ring: { type: "string" },
  registry: { type: "string" },
  "pre-releases": { type: "boolean" },
  json: { type: "boolean" },
} as const;

// A registry host as image references name it: a hostname or IPv4 address, optionally a port; no scheme, no path.
const REGISTRY_HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:]+\])(?::\d{1,5})?$/;

/** `argv` after the `releases` word. */
export function parseReleasesArgs(argv: readonly string[]): ReleasesArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, strict: true, options: OPTIONS });
  } catch (error) {
    throw new InputError(`releases: ${error instanceof Error ? error.message : String(error)}`);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 0) {
    // `--json FILE` of the other commands: here the JSON goes to stdout.
    const hint = values.json ? " (--json takes no FILE for releases: it prints the JSON on stdout; redirect it with > FILE)" : "";
    throw new InputError(`releases: unexpected argument ${positionals[0]}${hint}`);
  }
  if (values.ring !== undefined && !/^\d+$/.test(values.ring)) throw new InputError(`--ring ${values.ring}: must be a whole number >= 0`);
  if (values.registry !== undefined && !REGISTRY_HOST.test(values.registry)) {
    throw new InputError(`--registry ${values.registry}: must be a registry host as image references name it (ghcr.io, mirror.example.com:5000), without scheme or path`);
  }
  return {
    ...(values.stacks !== undefined ? { stacks: values.stacks } : {}),
    ...(values.ring !== undefined ? { ring: Number(values.ring) } : {}),
    ...(values.registry !== undefined ? { registry: values.registry } : {}),
    preReleases: values["pre-releases"] === true,
    json: values.json === true,
  };
}
