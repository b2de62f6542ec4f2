/**
 * Registry credentials and the challenge a registry answers a request without them with. Credentials come from the
 * environment (a CI secret, or a mounted file), are sent only in answer to a challenge (an anonymous registry never
 * sees them), never over plain HTTP to another machine, and never printed.
 */
import { readFileSync } from "node:fs";
import { InputError } from "../config/errors.js";

export const REGISTRY_USERNAME_ENV = "OPENCLAW_FLEET_REGISTRY_USERNAME";
export const REGISTRY_PASSWORD_ENV = "OPENCLAW_FLEET_REGISTRY_PASSWORD";
export const REGISTRY_PASSWORD_FILE_ENV = "OPENCLAW_FLEET_REGISTRY_PASSWORD_FILE";

/** How to give credentials, for the errors that ask for them. */
export const CREDENTIALS_HINT = `set ${REGISTRY_USERNAME_ENV} and ${REGISTRY_PASSWORD_ENV} (or ${REGISTRY_PASSWORD_FILE_ENV})`;

export interface RegistryCredentials {
  username: string;
  password: string;
}

/** The credentials the environment gives, if any; half of them (a user without a password) is an input error. */
export function registryCredentials(env: NodeJS.ProcessEnv = process.env): RegistryCredentials | undefined {
  const username = env[REGISTRY_USERNAME_ENV] || undefined;
  const file = env[REGISTRY_PASSWORD_FILE_ENV] || undefined;
  if (env[REGISTRY_PASSWORD_ENV] && file) throw new InputError(`${REGISTRY_PASSWORD_ENV} and ${REGISTRY_PASSWORD_FILE_ENV} are both set: set one`);
  let password = env[REGISTRY_PASSWORD_ENV] || undefined;
  if (file !== undefined) {
    try {
      password = readFileSync(file, "utf8").replace(/\r?\n$/, "");
    } catch (error) {
      throw new InputError(`${REGISTRY_PASSWORD_FILE_ENV} ${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`);
    }
  }
  if (username === undefined && password === undefined) return undefined;
  if (username === undefined) throw new InputError(`a registry password is set but ${REGISTRY_USERNAME_ENV} is not: ${CREDENTIALS_HINT}`);
  if (password === undefined || password === "") throw new InputError(`${REGISTRY_USERNAME_ENV} is set but no password: ${CREDENTIALS_HINT}`);
  return { username, password };
}

export function basicAuthorization(credentials: RegistryCredentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64")}`;
}

export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** `WWW-Authenticate: Bearer realm="https://x/token",service="x",scope="repository:a/b:pull"` (RFC 7235). */
export function parseChallenge(header: string | null): Challenge | undefined {
  if (!header) return undefined;
  const match = /^\s*([A-Za-z][A-Za-z0-9_-]*)\s*(.*)$/s.exec(header);
  if (!match) return undefined;
  const params: Record<string, string> = {};
  const param = /([A-Za-z][A-Za-z0-9_-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))\s*,?\s*/g;
  for (const each of match[2]!.matchAll(param)) params[each[1]!.toLowerCase()] = each[2] !== undefined ? each[2].replace(/\\(.)/g, "$1") : each[3]!;
  return { scheme: match[1]!.toLowerCase(), params };
}
