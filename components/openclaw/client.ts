/**
 * The real OpenClaw CLI as a client of a running gateway (the pinned release from components/openclaw/install.ts):
 * `npm run demo` calls the gateway on the real node through its Service with it, and the tests use it to judge the
 * gateway the way an operator's client would.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { OpenclawInstall } from "./install.js";

const run = promisify(execFile);

/**
 * The real CLI as a client of the running gateway, from a fresh HOME; resolves with its output, never throws.
 * `at`: the gateway's port on loopback, or its URL (a Service on a real node: `ws://10.96.0.12:18789`).
 */
export async function gatewayClient(install: OpenclawInstall, at: number | string, token: string | undefined, args: string[]): Promise<{ code: number; output: string }> {
  const home = mkdtempSync(join(tmpdir(), "openclaw-client-"));
  try {
    const url = typeof at === "number" ? `ws://127.0.0.1:${at}` : at;
    const env: Record<string, string> = { PATH: process.env.PATH ?? "", HOME: home, OPENCLAW_GATEWAY_URL: url, NO_COLOR: "1" };
    if (token !== undefined) env.OPENCLAW_GATEWAY_TOKEN = token;
    // Generous: the CLI initialises a fresh client HOME on every call, which was once seen to take tens of seconds.
    const { stdout } = await run(process.execPath, [install.cli, ...args], { env, timeout: 90_000 });
    return { code: 0, output: stdout };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failure.code === "number" ? failure.code : -1, output: `${failure.stdout ?? ""}${failure.stderr ?? ""}` };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** `openclaw gateway health --json`, the real client, against the running gateway. */
export async function healthCheck(install: OpenclawInstall, at: number | string, token: string | undefined): Promise<{ ok: boolean; output: string }> {
  const { code, output } = await gatewayClient(install, at, token, ["gateway", "health", "--json"]);
  try {
    return { ok: code === 0 && (JSON.parse(output) as { ok?: boolean }).ok === true, output };
  } catch {
    return { ok: false, output };
  }
}
