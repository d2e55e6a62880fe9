import { basename } from 'node:path';
import { InputError } from '../errors.js';
import { readJsonFile, schemaErrors, schemaValidator } from './json-input.js';
import { normalizeRepo } from './osv.js';
import type { ValidateFunction } from 'ajv';

/**
 * What is known offline about one release tag: its commit, and for each commit an advisory's GIT
 * range names, whether the tag's history contains it. OSV GIT ranges are evaluated on the commit
 * graph (a release is affected when it descends from an `introduced` commit and from no `fixed`
 * one); these ancestry answers are all of the graph that evaluation needs.
 */
export interface GitTag {
  commit: string;
  /** Commits that are ancestors of the tag (or the tag's commit itself). */
  contains: ReadonlySet<string>;
  /** Commits checked and found not to be ancestors. */
  lacks: ReadonlySet<string>;
}

export interface GitTagMap {
  /** Normalised repository (`github.com/python/cpython`). */
  repo: string;
  /** File name, for messages. */
  file: string;
  tags: ReadonlyMap<string, GitTag>;
}

const SHA = { type: 'string', pattern: '^(?:[0-9a-fA-F]{40}|[0-9a-fA-F]{64})$' };

/** The `--git-tags` file format (README: "Git tag maps"). */
const GIT_TAGS_SCHEMA = {
  type: 'object',
  required: ['repo', 'tags'],
  additionalProperties: false,
  properties: {
    repo: { type: 'string', minLength: 1 },
    tags: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        required: ['commit', 'contains', 'lacks'],
        additionalProperties: false,
        properties: {
          commit: SHA,
          contains: { type: 'array', items: SHA, uniqueItems: true },
          lacks: { type: 'array', items: SHA, uniqueItems: true },
        },
      },
    },
  },
};

let validate: ValidateFunction | undefined;

export function parseGitTags(doc: unknown, file: string): GitTagMap {
  validate ??= schemaValidator(GIT_TAGS_SCHEMA);
  if (!validate(doc)) throw new InputError(`not a git tag map: ${schemaErrors(validate)}`, [file]);
  const d = doc as { repo: string; tags: Record<string, { commit: string; contains: string[]; lacks: string[] }> };
  const tags = new Map<string, GitTag>();
  for (const [name, t] of Object.entries(d.tags)) {
    const contains = new Set(t.contains.map((s) => s.toLowerCase()));
    const lacks = new Set(t.lacks.map((s) => s.toLowerCase()));
    const both = [...contains].find((s) => lacks.has(s));
    if (both) throw new InputError(`tag ${name} both contains and lacks ${both}`, [file]);
    tags.set(name, { commit: t.commit.toLowerCase(), contains, lacks });
  }
  return { repo: normalizeRepo(d.repo), file: basename(file), tags };
}

export async function loadGitTags(path: string): Promise<GitTagMap> {
  return parseGitTags(await readJsonFile(path), path);
}
