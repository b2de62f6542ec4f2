/**
 * The Node SDK (@pulumi/pulumi 3.259, runtime/resource.js and invoke.js) sends the engine a debug log of every
 * resource RPC response ("RegisterResource RPC finished: ...; resp: ..."), and a response carries the
 * resource's outputs in plaintext, secrets included: the gateway token the random provider generates. The
 * console hides debug diagnostics, but the engine keeps them in its event stream (`pulumi up --event-log`,
 * the Automation API's events, Pulumi Deployments' logs). Found by the end-to-end suite. This drops those
 * lines, and only those, from the program's debug log; the engine still logs its own view of every step.
 */
import * as pulumi from "@pulumi/pulumi";

const RPC_RESPONSE = /^\w+ RPC finished: /;

const filtered = new WeakSet<object>();

/** Filters the given log's `debug` (default: the SDK's one shared `log` module), once however often it is called. */
export function dropRpcResponseDebugLog(log: { debug: typeof pulumi.log.debug } = pulumi.log): void {
  if (filtered.has(log)) return;
  const debug = log.debug;
  log.debug = (message, ...rest) => (RPC_RESPONSE.test(message) ? Promise.resolve() : debug(message, ...rest));
  filtered.add(log);
}
