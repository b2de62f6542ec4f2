/** One word for POSIX sh, single-quoted: nothing inside is expanded. */
export function shellWord(word: string): string {
  return `'${word.replaceAll("'", `'"'"'`)}'`;
}

/** A command line for POSIX sh from its words. */
export function shellCommand(words: readonly string[]): string {
  return words.map(shellWord).join(" ");
}
