/**
 * The README's commands, literally, in a fresh copy of the repository: every line of every ```sh
 * block runs as a new user would type it, in order, with nothing installed beforehand (`npm ci`
 * comes from the README too), so the README and the tool cannot drift apart. Blocks marked
 * ```text are usage synopses with placeholders and are not run; ```bash and ```yaml blocks are
 * files (a Slurm script, a Kubernetes job), tested on their own (test/slurm.test.ts).
 *
 * `npm test` is the command running this suite and is not run again. Commands that take minutes
 * (calibrate, validate-model, the full-size compare and sweep, discover on that sweep, and reach) run when CI=true or
 * URBANIZE_README_ALL=1; a local `npm test` lists them as deferred, so what is left out is said.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers/cli.js';

/** A command of the README: its text and the line it is on. */
interface Command {
  text: string;
  line: number;
}

/** Every command of the README's ```sh blocks (comments after `#` dropped). */
export function readmeCommands(markdown: string): Command[] {
  const out: Command[] = [];
  let inSh = false,
    inOther = false;
  markdown.split('\n').forEach((raw, i) => {
    const fence = /^```(\w*)/.exec(raw);
    if (fence) {
      if (inSh || inOther) {
        inSh = inOther = false;
        return;
      }
      if (fence[1] === 'sh') inSh = true;
      else inOther = true;
      return;
    }
    if (!inSh) return;
    const text = raw.replace(/\s+#.*$/, '').trim();
    if (text && !text.startsWith('#')) out.push({ text, line: i + 1 });
  });
  return out;
}

/** Commands that take minutes: run in CI (CI=true) or with URBANIZE_README_ALL=1. */
const LONG = [/urbanize calibrate\b/, /urbanize validate-model\b/, /urbanize compare\b/, /urbanize sweep\b/, /urbanize discover\b/, /urbanize reach\b/];
const ALL = process.env.CI === 'true' || process.env.URBANIZE_README_ALL === '1';

/** The files of a fresh clone of this working tree: tracked and new files, without ignored ones. */
function freshCopy(): string {
  const dir = join(tempDir('urbanize-readme-'), 'urbanize');
  const git = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { encoding: 'utf8' });
  if (git.status !== 0) throw new Error(`git ls-files failed: ${git.stderr}`);
  for (const f of git.stdout.split('\0').filter(Boolean)) {
    if (!existsSync(f)) continue; // deleted in the working tree, not yet committed
    // What npm and the build make is never copied, even where it is not ignored (a node_modules
    // symlink in a git worktree is not matched by the ignore rule `node_modules/`).
    if (/^(node_modules|dist)(\/|$)/.test(f)) continue;
    mkdirSync(join(dir, dirname(f)), { recursive: true });
    cpSync(f, join(dir, f), { preserveTimestamps: true });
    if (statSync(f).mode & 0o111) spawnSync('chmod', ['+x', join(dir, f)]);
  }
  return dir;
}

/** The environment of a user's shell: without what npm and vitest set for this test run. */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(npm_|VITEST|NODE_OPTIONS$|INIT_CWD$|TEST$|NODE_ENV$)/.test(k)) continue;
    env[k] = v;
  }
  return env;
}

describe('the README', () => {
  const commands = readmeCommands(readFileSync('README.md', 'utf8'));

  it('shows the two commands of a fresh start, and every urbanize command it shows is one the tool has', () => {
    expect(commands.map((c) => c.text)).toEqual(expect.arrayContaining(['npm ci && npm start', 'npm test']));
    const help = spawnSync(process.execPath, ['dist/cli/main.js', '--help'], { encoding: 'utf8' }).stdout;
    for (const c of commands) {
      const sub = /npx urbanize ([a-z][a-z-]*)/.exec(c.text)?.[1];
      if (sub) expect(help, `README line ${c.line}: ${c.text}`).toContain(`  ${sub} `);
    }
  });

  it('runs every command it shows, literally, in a fresh copy of the repository', { timeout: ALL ? 1_500_000 : 300_000 }, () => {
    const dir = freshCopy();
    const env = userEnv();
    const deferred: string[] = [];
    for (const c of commands) {
      if (c.text === 'npm test') continue; // this suite itself
      if (!ALL && LONG.some((re) => re.test(c.text))) {
        deferred.push(`line ${c.line}: ${c.text}`);
        continue;
      }
      const t0 = performance.now();
      const r = spawnSync('sh', ['-c', c.text], { cwd: dir, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 2 ** 20 });
      const secs = ((performance.now() - t0) / 1000).toFixed(1);
      expect(r.status, `README line ${c.line}: \`${c.text}\` exited ${r.status} after ${secs} s\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`).toBe(0);
      console.log(`readme: line ${c.line} (${secs} s): ${c.text}`);
    }
    if (deferred.length) console.log(`readme: ${deferred.length} long commands run only with CI=true or URBANIZE_README_ALL=1:\n  ${deferred.join('\n  ')}`);
  });
});
