/** `npm run recover -- --stack NAME`, parsed before anything runs (a bad argument exits 2, `--help` prints the usage). */
import { parseArgs } from "node:util";
import { InputError } from "../config/errors.js";

export const RECOVER_USAGE = "usage: npm run recover -- --stack NAME\n       npm run recover -- --help";

export const RECOVER_HELP = `${RECOVER_USAGE}

After an interrupted \`pulumi up\` (a killed runner, a lost connection): releases the dead update's lock,
clears the creates it left pending and imports back every object \`up\` would create that is already on the
cluster, so that the next \`pulumi up\` converges. Runs the \`pulumi\` on PATH against the backend you are
logged in to (PULUMI_BACKEND_URL), like any Pulumi command. A lock is removed only when the update that
took it is gone (its PID on this machine no longer runs); a running update's lock, or another machine's, is
reported and nothing is changed (exit 1).

Options:
  --stack NAME    the stack to recover (its Pulumi.<stack>.yaml is in this project)
  -h, --help      this text

Example:
  npm run recover -- --stack prod && pulumi up --stack prod

Exit: 0 recovered, 1 a lock recover may not remove, 2 bad arguments; a failing pulumi command exits non-zero
with its error.`;

export type RecoverArgs = { help: true } | { help: false; stack: string };

export function parseRecoverArgs(argv: readonly string[]): RecoverArgs {
  let values;
  try {
    ({ values } = parseArgs({ args: [...argv], strict: true, allowPositionals: false, options: { stack: { type: "string" }, help: { type: "boolean", short: "h" } } }));
  } catch (error) {
    // `--help` wins over whatever else is wrong on the line.
    if (argv.includes("--help") || argv.includes("-h")) return { help: true };
    throw new InputError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return { help: true };
  if (!values.stack) throw new InputError("--stack NAME is required");
  return { help: false, stack: values.stack };
}
