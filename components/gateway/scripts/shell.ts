/** One word for POSIX sh, single-quoted: nothing inside is expanded. */
export function shellWord(word: string): string {
  return `'${word.replaceAll("'", `'"'"'`)}'`;
}

/** A command line for POSIX sh from its words. */
export function shellCommand(words: readonly string[]): string {
  return words.map(shellWord).join(" ");
}

/**
 * A script that stops at the first failing command or unset variable, with `fail MESSAGE`: the message on
 * stderr under the container's label and exit 1, which the pod shows as Init:Error with that reason.
 */
export function strictScript(label: string, body: string): string {
  return `set -eu\nfail() { echo "${label}: $*" >&2; exit 1; }\n${body}`;
}
