// `npm run recover -- --stack <name>`: after an interrupted `pulumi up`, release the dead update's lock, clear
// the creates it left pending and import back every object `up` would create that is already on the cluster
// (components/automation/interruptedUpdate.ts), so that the next `pulumi up` converges. Runs the `pulumi` on PATH
// against the backend you are logged in to, like any Pulumi command. Run it only when no update of the stack
// is running; should one still hold the lock, recover says so and changes nothing (a dead update's lock is removed).
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { restoreCheckpointBackup } from "../components/automation/fileBackend.js";
import { LockHeldError, recoverInterruptedUpdate } from "../components/automation/interruptedUpdate.js";
import { parseRecoverArgs, RECOVER_HELP, RECOVER_USAGE } from "../components/automation/recoverArgs.js";
import { InputError } from "../components/config/errors.js";

let parsed;
try {
  parsed = parseRecoverArgs(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof InputError)) throw error;
  console.error(`recover: ${error.message}\n${RECOVER_USAGE}`);
  process.exit(2);
}
if (parsed.help) {
  console.log(RECOVER_HELP);
  process.exit(0);
}
const values = { stack: parsed.stack };
const recover = () =>
  recoverInterruptedUpdate(
    (args) => execFileSync("pulumi", [...args, "--stack", values.stack!], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }),
    (line) => console.log(line),
    () => {
      const project = (parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), "..", "Pulumi.yaml"), "utf8")) as { name: string }).name;
      return restoreCheckpointBackup(process.env.PULUMI_BACKEND_URL, project, values.stack!);
    },
  );
let recovery: ReturnType<typeof recover>;
try {
  recovery = recover();
} catch (error) {
  if (!(error instanceof LockHeldError)) throw error;
  console.error(`${values.stack}: nothing done: ${error.message}`);
  process.exit(1);
}
console.log(`${values.stack}: ${recovery.imported.length} object(s) imported, ${recovery.left.length} left to create; now run \`pulumi up --stack ${values.stack}\``);
