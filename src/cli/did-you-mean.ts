/**
 * "Did you mean this?" for mistyped commands, flags, provider and profile names, as gh does. Plain data in,
 * text out: no @oclif/core, so the fast path and the completion helper can use it too.
 *
 * Our own helper rather than @oclif/plugin-not-found: that plugin only knows command ids (not flags, provider
 * or profile names), exits 127 instead of our usage code 2, and on a TTY asks to run the guess, which for
 * `login` or `logout` is a side effect nobody asked for.
 */

/**
 * Optimal-string-alignment Damerau-Levenshtein distance: insertions, deletions, substitutions and the
 * transposition of two adjacent characters (`lgoin` -> `login`) each cost 1.
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1
  const cols = b.length + 1
  const d: number[][] = Array.from({length: rows}, (_, i) => Array.from({length: cols}, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1)
    }
  }
  return d[a.length][b.length]
}

/**
 * The closest candidate, when it is close enough to be a typo: at most 1 edit for words of up to 4
 * characters, else at most a third of the word (at least 2). A candidate the word is a prefix of
 * (`--paginat` for `--paginate`) also counts. Ties go to the earlier candidate.
 */
export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase()
  const limit = lower.length <= 4 ? 1 : Math.max(2, Math.floor(lower.length / 3))
  let best: string | undefined
  let bestDistance = Infinity
  for (const candidate of candidates) {
    if (candidate === word) continue
    const distance = editDistance(lower, candidate.toLowerCase())
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  if (best === undefined) return undefined
  if (bestDistance <= limit) return best
  return undefined
}

/** Quotes a word for a POSIX shell when it needs it. */
export function quoteShellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`
}

/**
 * The command line the user typed with `wrong` replaced by `right` (the first word equal to it, or a
 * `--flag=value` starting with it), quoted for a shell: the exact command to run instead.
 */
export function correctedCommand(argv: readonly string[], wrong: string, right: string, bin = 'oauthctl'): string {
  let replaced = false
  const words = argv.map((word) => {
    if (replaced) return word
    if (word === wrong) {
      replaced = true
      return right
    }
    if (wrong.startsWith('-') && word.startsWith(`${wrong}=`)) {
      replaced = true
      return right + word.slice(wrong.length)
    }
    return word
  })
  if (!replaced) words.push(right)
  return [bin, ...words.map(quoteShellWord)].join(' ')
}

/**
 * What the short flags of curl and gh mean, for a user whose fingers type them here: the long flag of ours
 * that does the same (`token -H` means `--header`, not `-h`, help).
 * @see https://curl.se/docs/manpage.html (-H, -X, -d, -i, -s, -v)
 * @see https://cli.github.com/manual/gh_api (-H, -X, -i, -q)
 */
export const BORROWED_SHORT_FLAGS: Readonly<Record<string, string>> = {
  '-H': '--header',
  '-X': '--method',
  '-d': '--data',
  '-i': '--include',
  '-s': '--silent',
  '-q': '--jq',
  '-v': '--debug',
}

/** Help is never the meaning of another letter: `-H` is not `-h`. */
const HELP_FLAGS = new Set(['-h', '--help'])

/**
 * The flag meant by a mistyped short flag: the same letter in the other case (`-P` for `-p`: edit distance
 * would take any other letter, `-x` for `-h`) unless that is help, else what the letter means to curl and
 * gh when the command has that flag ({@link BORROWED_SHORT_FLAGS}), or a long flag typed with one dash
 * (`-paginate`, `-jsn`). `shorts` are `-p`, `-H`, ...; `longs` are `--provider`, ...
 */
export function closestShortFlag(wrong: string, shorts: Iterable<string>, longs: Iterable<string>): string | undefined {
  if (/^-[^-]$/.test(wrong)) {
    const sameLetter = [...shorts].find((short) => short !== wrong && !HELP_FLAGS.has(short) && short.toLowerCase() === wrong.toLowerCase())
    if (sameLetter) return sameLetter
    const borrowed = Object.hasOwn(BORROWED_SHORT_FLAGS, wrong) ? BORROWED_SHORT_FLAGS[wrong] : undefined
    return borrowed !== undefined && [...longs].includes(borrowed) ? borrowed : undefined
  }
  if (/^-[^-\d][^=]+$/.test(wrong)) {
    const long = `-${wrong}`
    return [...longs].includes(long) ? long : closestMatch(long, longs)
  }
  return undefined
}

/**
 * The two lines gh prints: the suggestion and the command to run. Empty when nothing is close. `right`,
 * when the caller already knows the match (a short flag), skips the edit-distance search.
 */
export function suggestionHint(argv: readonly string[], wrong: string, candidates: Iterable<string>, known?: string): string | undefined {
  const right = known ?? closestMatch(wrong, candidates)
  if (right === undefined) return undefined
  return `Did you mean this? ${right}\nRun: ${correctedCommand(argv, wrong, right)}`
}
