import {execFileSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

/**
 * A real, tiny file system for tests of a full or read-only disk: a 64 KiB tmpfs mounted on a fresh
 * directory. Needs root (or CAP_SYS_ADMIN); the test environment (.ci/run, the dev container) has it, and
 * mount's own error says so when it does not.
 */
export interface TinyFs {
  root: string
  /** Fills the file system to the last byte with ballast files, then frees `freePages` pages of 4 KiB again. */
  fill(freePages?: number): void
  /** Remounts it read-only (what `EROFS` looks like). */
  makeReadOnly(): void
  unmount(): void
}

export function mountTinyFs(sizeKb = 64): TinyFs {
  const root = mkdtempSync(join(tmpdir(), 'oauthctl-tinyfs-'))
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k,mode=0700`, 'tmpfs', root], {stdio: 'pipe'})
  return {
    root,
    fill(freePages = 0) {
      mkdirSync(join(root, 'ballast'), {recursive: true})
      // Page by page, then byte by byte: tmpfs counts whole pages, so the last write must still fail.
      for (const size of [4096, 1]) {
        for (let n = 0; ; n++) {
          try {
            writeFileSync(join(root, 'ballast', `${size}-${n}`), Buffer.alloc(size))
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code === 'ENOSPC') break
            throw error
          }
        }
      }
      for (let n = 0; n < freePages; n++) rmSync(join(root, 'ballast', `4096-${n}`))
    },
    makeReadOnly() {
      execFileSync('mount', ['-o', 'remount,ro', root], {stdio: 'pipe'})
    },
    unmount() {
      execFileSync('umount', [root], {stdio: 'pipe'})
      rmSync(root, {recursive: true, force: true})
    },
  }
}
