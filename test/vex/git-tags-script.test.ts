import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, tempDir } from '../helpers/fixtures.js';
import { requireTool, run } from '../helpers/tools.js';
import { parseGitTags } from '../../src/vex/git-tags.js';
import { loadAdvisories } from '../../src/vex/osv.js';
import { evaluateEntry } from '../../src/vex/ranges.js';

const URL = 'https://example.org/widget.git';

test('scripts/vex-git-tags.mjs records ancestry from a real clone; GIT ranges evaluate from it', async (t) => {
  if (!requireTool(t, 'git')) return;
  const dir = await tempDir(t);
  const repo = join(dir, 'widget');
  mkdirSync(repo);
  const git = (...args: string[]) => run('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.org', '-c', 'commit.gpgsign=false', '-c', 'tag.gpgsign=false', ...args], { cwd: repo }).trim();
  const commit = (file: string, text: string, message: string) => {
    writeFileSync(join(repo, file), text);
    git('add', file);
    git('commit', '-q', '-m', message);
    return git('rev-parse', 'HEAD');
  };
  git('init', '-q', '-b', 'main');
  commit('widget.c', 'int ok;\n', 'initial');
  git('tag', 'v0.9');
  const introduced = commit('widget.c', 'int bug;\n', 'introduce the bug');
  commit('README', 'widget\n', 'docs');
  git('tag', 'v1.0');
  git('checkout', '-q', '-b', 'maint-1.0');
  const backport = commit('widget.c', 'int fixed;\n', 'fix the bug (1.0 branch)');
  git('tag', 'v1.0.1');
  git('checkout', '-q', 'main');
  const fix = commit('widget.c', 'int fixed; /* main */\n', 'fix the bug');
  git('tag', 'v1.1');

  const osvDir = join(dir, 'osv');
  mkdirSync(osvDir);
  const record = (id: string, fixed: string[]) => ({
    schema_version: '1.6.0',
    id,
    modified: '2025-01-01T00:00:00Z',
    affected: [{ ranges: [{ type: 'GIT', repo: URL, events: [{ introduced }, ...fixed.map((f) => ({ fixed: f }))] }] }],
  });
  const absent = 'd'.repeat(40);
  writeFileSync(join(osvDir, 'WID-1.json'), JSON.stringify(record('WID-1', [fix, backport])));
  writeFileSync(join(osvDir, 'WID-2.json'), JSON.stringify(record('WID-2', [fix, absent])));

  const res = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'vex-git-tags.mjs'), '--clone', repo, '--repo', URL, '--advisories', osvDir, 'v0.9', 'v1.0', 'v1.0.1', 'v1.1'], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(res.status, 0, res.stderr);
  assert.match(res.stderr, new RegExp(`v1\\.0: commit ${absent} is not in the clone; left unrecorded`));
  const map = parseGitTags(JSON.parse(res.stdout), 'widget-tags.json');
  assert.equal(map.tags.get('v1.0')!.commit, git('rev-parse', 'v1.0^{commit}'));
  assert.deepEqual([...map.tags.get('v1.0')!.contains], [introduced]);

  const [wid1, wid2] = await loadAdvisories([osvDir], () => {});
  const status = (a: typeof wid1, v: string) => evaluateEntry(a!.affected[0]!, v, [map]).status;
  // What git says of the graph built above, release by release.
  assert.equal(status(wid1, '0.9'), 'not_affected', 'before the bug');
  assert.equal(status(wid1, '1.0'), 'affected');
  assert.equal(status(wid1, '1.0.1'), 'fixed', 'the backported fix');
  assert.equal(status(wid1, '1.1'), 'fixed');
  assert.equal(status(wid2, '1.0'), 'unknown', 'a fix commit the clone lacks is not guessed');
  assert.equal(status(wid2, '1.1'), 'fixed', 'a fix the tag contains settles it');
});
