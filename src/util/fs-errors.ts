/**
 * What a failed file-system call means, in words a person acts on: "disk full" rather than "check
 * permissions" for ENOSPC.
 */
const REASONS: Record<string, {reason: string; hint: string}> = {
  ENOSPC: {reason: 'disk full', hint: 'Free some space on that disk, then retry.'},
  EDQUOT: {reason: 'disk quota exceeded', hint: 'Free some space within your quota, then retry.'},
  EROFS: {reason: 'read-only file system', hint: 'Remount it read-write, or set OAUTHCTL_CONFIG_DIR to a writable folder.'},
  EACCES: {reason: 'permission denied', hint: 'Check the ownership and permissions of that file and its folder.'},
  EPERM: {reason: 'operation not permitted', hint: 'Check the ownership and permissions of that file and its folder.'},
  EISDIR: {reason: 'it is a directory', hint: 'Move that directory away.'},
  ENOTDIR: {reason: 'a parent is not a directory', hint: 'Move the file that is in the way.'},
}

/** "disk full (ENOSPC)", "read-only file system (EROFS)", or the code / message of anything else. */
export function describeFsError(error: unknown): {reason: string; hint: string} {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  const known = code ? REASONS[code] : undefined
  if (known) return {reason: `${known.reason} (${code})`, hint: known.hint}
  return {
    reason: code ?? (error instanceof Error ? error.message : String(error)),
    hint: 'Check the ownership and permissions of that file and its folder.',
  }
}
