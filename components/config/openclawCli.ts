/**
 * The `openclaw` CLI inside the image, derived from the gateway's command: the backup and restore init
 * containers run the same binary the gateway runs (`node /app/dist/index.js gateway run` -> `node
 * /app/dist/index.js`), so a command overridden for another image version moves the CLI with it.
 */
const GATEWAY_SUBCOMMAND = ["gateway", "run"] as const;

/** The command's words before `gateway run`, or undefined when the command does not end that way. */
export function openclawCliFromCommand(command: readonly string[]): string[] | undefined {
  const prefix = command.slice(0, command.length - GATEWAY_SUBCOMMAND.length);
  const tail = command.slice(command.length - GATEWAY_SUBCOMMAND.length);
  if (prefix.length === 0 || tail.join(" ") !== GATEWAY_SUBCOMMAND.join(" ")) return undefined;
  return prefix;
}
