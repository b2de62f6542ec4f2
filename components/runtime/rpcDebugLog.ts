/**
 * The Node SDK (@pulumi/pulumi 3.259, runtime/resource.js and invoke.js) sends the engine a debug log of every
 * resource RPC response ("RegisterResource RPC finished: ...; resp: ..."), and a response carries the
 * resource's outputs in plaintext, secrets included: the gateway token the random provider generates. The
 * console hides debug diagnostics, but the engine keeps them in its event stream (`pulumi up --event-log`,
 * the Automation API's events, Pulumi Deployments' logs). Found by the end-to-end suite. This drops those
 * lines, and only those, from the program's debug log; the engine still logs its own view of every step.
 *
 * Installed by `components/gateway/gateway.ts` when it is loaded, so every program and the multi-language
 * component get it with the Gateway, before either registers a resource.
 */
import * as pulumi from "@pulumi/pulumi";

/**
 * Every debug line of @pulumi/pulumi 3.259's runtime that prints an RPC payload (read from runtime/*.js):
 * - `<Method> RPC finished: ...; resp: ...` (RegisterResource, ReadResource, RegisterResourceOutputs, Invoke,
 *   Call) and `getResource Invoke RPC finished: err: ..., resp: ...`: the responses, outputs included.
 * - `, obj=<serialized args>`: "Invoke RPC prepared" and "Call RPC prepared" put `+` before `?`, so the SDK logs
 *   the serialized arguments alone, always, whatever `excessiveDebugOutput` says.
 * - With `excessiveDebugOutput` (off unless set in code): "... RPC prepared: ..., obj=", "..., outputs=",
 *   "Invoking function: ..., props=", "Calling function: ..., props=" and "Serialize property [...]: primitive=",
 *   the inputs and outputs.
 */
export const RPC_PAYLOAD_LINES: readonly RegExp[] = [
  /^(getResource )?\w+ RPC finished: /,
  /^, obj=/,
  /^\w+ RPC prepared: .*, (obj|outputs)=/s,
  /^(Invoking|Calling) function: .*, props=/s,
  /^Serialize property \[.*\]: primitive=/s,
];

export function isRpcPayloadLine(message: string): boolean {
  return RPC_PAYLOAD_LINES.some((pattern) => pattern.test(message));
}

const filtered = new WeakSet<object>();

/** Filters the given log's `debug` (default: the SDK's one shared `log` module), once however often it is called. */
export function dropRpcResponseDebugLog(log: { debug: typeof pulumi.log.debug } = pulumi.log): void {
  if (filtered.has(log)) return;
  const debug = log.debug;
  log.debug = (message, ...rest) => (isRpcPayloadLine(message) ? Promise.resolve() : debug(message, ...rest));
  filtered.add(log);
}

/** Whether the given log (default: the SDK's) drops the payload lines. */
export function isRpcDebugLogFiltered(log: object = pulumi.log): boolean {
  return filtered.has(log);
}
