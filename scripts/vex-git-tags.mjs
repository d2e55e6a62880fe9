#!/usr/bin/env node
// Writes the tag map `installer-sbom vex --git-tags` reads, from a clone of the repository the
// advisories' GIT ranges name: for each release tag, which of the commits those ranges mention are
// ancestors of the tag (git merge-base --is-ancestor). Run after `npm run build`.
//
//   node scripts/vex-git-tags.mjs --clone ../cpython --advisories ../advisory-database/advisories \
//        [--repo https://github.com/python/cpython] v3.13.0 v3.12.7 > cpython-tags.json
//
// A commit the clone does not have is left out of both lists (with a note on stderr), so the tool
// reports the advisory as not evaluable for that release instead of guessing.
import { spawnSync } from 'node:child_process';
import { loadAdvisories, normalizeRepo } from '../dist/src/vex/osv.js';

function usage(message) {
  process.stderr.write(`${message}\nUsage: node scripts/vex-git-tags.mjs --clone DIR --advisories PATH... [--repo URL] TAG...\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
const advisories = [];
const tags = [];
let clone;
let repo;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--clone') clone = args[++i];
  else if (a === '--repo') repo = args[++i];
  else if (a === '--advisories') advisories.push(args[++i]);
  else if (a.startsWith('-')) usage(`unknown option ${a}`);
  else tags.push(a);
}
if (!clone || advisories.length === 0 || tags.length === 0) usage('needs --clone, --advisories and at least one tag');

function git(...argv) {
  return spawnSync('git', ['-C', clone, ...argv], { encoding: 'utf8' });
}

repo ??= git('remote', 'get-url', 'origin').stdout.trim();
if (!repo) usage('the clone has no origin remote: give --repo URL');
const wanted = normalizeRepo(repo);

const commits = new Set();
for (const advisory of await loadAdvisories(advisories, (m) => process.stderr.write(`note: ${m}\n`))) {
  for (const entry of advisory.affected) {
    for (const range of entry.ranges) {
      if (range.type !== 'GIT' || normalizeRepo(range.repo ?? '') !== wanted) continue;
      for (const e of range.events) {
        const sha = e.introduced ?? e.fixed ?? e.last_affected ?? e.limit;
        if (sha && sha !== '0') commits.add(sha.toLowerCase());
      }
    }
  }
}

const out = { repo, tags: {} };
for (const tag of tags) {
  const rev = git('rev-parse', '--verify', `${tag}^{commit}`);
  if (rev.status !== 0) usage(`no such tag in ${clone}: ${tag}`);
  const commit = rev.stdout.trim();
  const contains = [];
  const lacks = [];
  for (const sha of [...commits].sort()) {
    const r = git('merge-base', '--is-ancestor', sha, commit);
    if (r.status === 0) contains.push(sha);
    else if (r.status === 1) lacks.push(sha);
    else process.stderr.write(`note: ${tag}: commit ${sha} is not in the clone; left unrecorded\n`);
  }
  out.tags[tag] = { commit, contains, lacks };
}
process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
