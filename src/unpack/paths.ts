import { InputError } from '../errors.js';

/**
 * Normalises a member name from an archive into a safe relative path, or rejects it.
 * Backslashes become slashes; `.` segments and empty segments are dropped; a leading `/` or a
 * drive letter is stripped (the name is still placed under its container). `..` that would climb
 * out of the container, NUL and other control characters are refused (hostile input).
 */
export function safeEntryPath(raw: string, chain: readonly string[] = []): string {
  if (/[\u0000-\u001f\u007f]/.test(raw)) {
    throw new InputError(`entry name with control characters: ${JSON.stringify(raw)}`, chain);
  }
  let name = raw.replace(/\\/g, '/');
  name = name.replace(/^[A-Za-z]:(?=\/|$)/, '');
  const out: string[] = [];
  for (const seg of name.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length === 0) throw new InputError(`entry name escapes its container: ${JSON.stringify(raw)}`, chain);
      out.pop();
      continue;
    }
    out.push(seg);
  }
  return out.join('/');
}

/** Joins a container path and a member path with '/', both already safe. */
export function joinEntryPath(base: string, member: string): string {
  if (base === '') return member;
  if (member === '') return base;
  return `${base}/${member}`;
}

/**
 * The path of a container's member inside the artifact, as the walker names files: the chain's
 * container paths after the artifact, then the member. Readers use it for `UnpackUnknown.path`.
 */
export function pathInArtifact(chain: readonly string[], member: string): string {
  return [...chain.slice(1), member].filter((s) => s !== '').join('/');
}
