// The system tools the test suite needs beyond npm: headless Chromium (the report's browser test)
// and Slurm with munge (the cluster test). `npm test` runs this first (pretest): where a tool is
// missing and this machine can install Debian packages (root, apt-get), it installs them, in one
// apt-get call for all; otherwise it says in one line what to do and exits 1. No stack traces:
// a missing tool is the user's to fix, not a bug.
//
//   node scripts/test-tools.mjs [chromium] [slurm]     (both when none is named)
//
// Environment: URBANIZE_BROWSER=/path/to/chrome uses that browser instead of Debian's chromium;
// URBANIZE_SKIP_SLURM=1 leaves Slurm out: the cluster test is then reported as skipped, with
// the reason, instead of failing (the browser test has no such switch).
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Debian packages per tool: the binaries they must provide and what to install. */
export const TOOLS = {
  chromium: { bins: ['chromium'], packages: ['chromium', 'fonts-wqy-microhei'], why: "the report's browser test" },
  slurm: { bins: ['sbatch', 'slurmctld', 'slurmd', 'munged'], packages: ['slurm-wlm', 'munge'], why: 'the Slurm cluster test' },
};

/** The full path of a command on PATH (or in the sbin folders, where Debian puts daemons), or null. */
export function which(cmd) {
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/sbin', '/usr/bin', '/bin'];
  for (const d of dirs) {
    if (!d) continue;
    const f = `${d}/${cmd}`;
    try {
      accessSync(f, constants.X_OK);
      return f;
    } catch {
      /* not here */
    }
  }
  return null;
}

const executable = (f) => {
  try {
    accessSync(f, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * The browser for the report's test: URBANIZE_BROWSER when set (it must be an executable file),
 * else Debian's chromium. Returns { path } or { error } with one line that says what to do.
 */
export function findBrowser(env = process.env) {
  const named = env.URBANIZE_BROWSER;
  if (named) {
    return executable(named) ? { path: named } : { error: `URBANIZE_BROWSER=${named} is not an executable file: point it at a Chromium or Chrome binary` };
  }
  const path = which('chromium');
  if (path) return { path };
  return {
    error:
      "the report's browser test needs Chromium: install Debian's or Ubuntu's chromium (apt-get install chromium) or set URBANIZE_BROWSER=/path/to/chromium",
  };
}

/** Chromium's flags for a headless page from disk: no sandbox (root in CI), nothing fetched from the network. */
export const BROWSER_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Whether every binary of a tool is there. */
export const present = (tool) => TOOLS[tool].bins.every((b) => which(b) !== null);

/** Whether this process can install Debian packages: root, with apt-get. */
export const canApt = () => typeof process.getuid === 'function' && process.getuid() === 0 && which('apt-get') !== null;

/**
 * Installs the missing tools' Debian packages in one apt-get call where this machine allows it.
 * Returns the list of problems (one line each); empty when every tool is there.
 */
export function ensureTools(tools, env = process.env, log = (s) => process.stderr.write(s + '\n')) {
  const wanted = tools.filter((t) => !(t === 'chromium' && env.URBANIZE_BROWSER) && !(t === 'slurm' && env.URBANIZE_SKIP_SLURM));
  const missing = wanted.filter((t) => !present(t));
  const problems = [];
  if (missing.length && canApt()) {
    const pkgs = missing.flatMap((t) => TOOLS[t].packages);
    log(`test tools: installing ${pkgs.join(' ')} with apt-get (for ${missing.map((t) => TOOLS[t].why).join(' and ')})`);
    const aptEnv = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    /** @type {import('node:child_process').SpawnSyncOptionsWithStringEncoding} */
    const quiet = { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', env: aptEnv };
    // The package lists may be missing or old on a fresh machine: update once, then install.
    spawnSync('apt-get', ['update'], quiet);
    const r = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...pkgs], quiet);
    if (r.status !== 0) {
      const last = (r.stderr ?? '').trim().split('\n').filter(Boolean).pop() ?? `exit ${r.status}`;
      problems.push(`apt-get install ${pkgs.join(' ')} failed (${last})`);
    }
  }
  for (const t of missing) {
    if (present(t)) continue;
    if (t === 'chromium') problems.push(findBrowser(env).error);
    else
      problems.push(
        `${TOOLS[t].why} needs Debian's ${TOOLS[t].packages.join(' and ')} (${TOOLS[t].bins.filter((b) => !which(b)).join(', ')} not found): run as root where apt-get works, install them yourself, or set URBANIZE_SKIP_SLURM=1 to skip the cluster test`,
      );
  }
  if (env.URBANIZE_BROWSER) {
    const b = findBrowser(env);
    if (b.error) problems.push(b.error);
  }
  return problems;
}

if (process.argv[1] && existsSync(process.argv[1]) && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const tools = args.length ? args : Object.keys(TOOLS);
  const unknown = tools.filter((t) => !(t in TOOLS));
  if (unknown.length) {
    process.stderr.write(`test-tools: unknown tool ${unknown.join(', ')}; expected ${Object.keys(TOOLS).join(' or ')}\n`);
    process.exit(2);
  }
  const problems = ensureTools(tools);
  for (const p of problems) process.stderr.write(`error: ${p}\n`);
  process.exit(problems.length ? 1 : 0);
}
