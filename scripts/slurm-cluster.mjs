// A one-node Slurm cluster on this machine, for trying the deploy/ scripts and for the cluster
// test (test/slurm.test.ts): munged, slurmctld and slurmd on 127.0.0.1, everything they need in
// one folder of their own (config, munge key and socket, state, spool, pid files, logs), nothing
// in /etc. The clients find it through SLURM_CONF, which `start` prints.
//
//   node scripts/slurm-cluster.mjs start [DIR]    then: export SLURM_CONF=DIR/slurm.conf
//   node scripts/slurm-cluster.mjs status [DIR]
//   node scripts/slurm-cluster.mjs stop [DIR]     cancels its jobs, stops its daemons, removes DIR
//
// DIR defaults to $URBANIZE_SLURM_DIR, else $TMPDIR/urbanize-slurm. Needs root (SlurmUser=root)
// and Debian's slurm-wlm and munge (node scripts/test-tools.mjs slurm installs them). Ports are
// picked free at start, so two clusters in two folders do not collide. munged runs with a key
// of its own in DIR: /etc/munge is neither read nor written.
//
// Slurm holds a requeued job for about two minutes before it may start again (its begin time);
// `scontrol update JobId=ID StartTime=now` lets it start at once (the test does that).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The first line of the slurm.conf this script writes: `stop` removes only folders that have it. */
const MARK = '# one-node cluster of urbanize scripts/slurm-cluster.mjs';

/** The daemons, in start order, with their pid files relative to the cluster's folder. */
const DAEMONS = [
  { name: 'munged', pidFile: 'munge/munged.pid' },
  { name: 'slurmctld', pidFile: 'slurmctld.pid' },
  { name: 'slurmd', pidFile: 'slurmd.pid' },
];

/** The cluster's folder: the argument, else URBANIZE_SLURM_DIR, else $TMPDIR/urbanize-slurm. */
export const clusterDir = (dir) => resolve(dir ?? process.env.URBANIZE_SLURM_DIR ?? join(tmpdir(), 'urbanize-slurm'));

/** The environment for Slurm's clients (sbatch, squeue, scontrol) to talk to the cluster in `dir`. */
export const clusterEnv = (dir, env = process.env) => ({ ...env, SLURM_CONF: join(clusterDir(dir), 'slurm.conf') });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** The name of a live process, or null when there is none with that pid (a zombie counts as gone). */
function comm(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z' ? null : name;
  } catch {
    return null;
  }
}

/** The pid of a daemon of the cluster in `dir` if it is running (its pid file names a live process of that name). */
function daemonPid(dir, d) {
  let pid;
  try {
    pid = Number(readFileSync(join(dir, d.pidFile), 'utf8').trim());
  } catch {
    return null;
  }
  return pid > 0 && comm(pid) === d.name ? pid : null;
}

/** A TCP port free on 127.0.0.1 now (the kernel's choice). */
function freePort() {
  return new Promise((res, rej) => {
    const s = createServer().once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (s.address());
      s.close(() => res(port));
    });
  });
}

/** Runs a command; throws with its stderr when it fails. */
function run(cmd, args, env) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env });
  if (r.status !== 0)
    throw new Error(
      `${cmd} ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`}): ${(r.stderr ?? '').trim().split('\n').slice(-3).join(' | ')}`,
    );
  return r.stdout;
}

/** This machine as slurmd sees it (CPUs, sockets, cores, threads, RealMemory), as a slurm.conf node line for NodeName=localhost. */
function nodeLine() {
  const first = run('slurmd', ['-C']).split('\n')[0];
  return first.replace(/^NodeName=\S+/, 'NodeName=localhost NodeAddr=127.0.0.1') + ' State=UNKNOWN';
}

/** slurm.conf of the cluster in `dir`. */
function slurmConf(dir, ctldPort, slurmdPort) {
  return `${MARK}
ClusterName=urbanize
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=${ctldPort}
SlurmdPort=${slurmdPort}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=${dir}/munge/munge.socket
StateSaveLocation=${dir}/state
SlurmdSpoolDir=${dir}/spool
SlurmctldPidFile=${dir}/slurmctld.pid
SlurmdPidFile=${dir}/slurmd.pid
SlurmctldLogFile=${dir}/log/slurmctld.log
SlurmdLogFile=${dir}/log/slurmd.log
# No cgroups: processes are tracked by their parent ids, which works in a container too.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
# Cores as the consumable resource, so that tasks of one CPU share the node side by side.
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SwitchType=switch/none
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
# A running job may be requeued (scontrol requeue) even without sbatch --requeue.
JobRequeue=1
# SIGTERM, then SIGKILL 5 s later: time enough for urbanize to mark its folder partial.
KillWait=5
# Finished jobs stay visible to scontrol show job for 10 minutes (there is no accounting).
MinJobAge=600
${nodeLine()}
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
`;
}

/** Whether the cluster in `dir` answers and its node is up: { daemons: {name: pid|null}, node: state|null }. */
export function clusterStatus(dir) {
  dir = clusterDir(dir);
  const daemons = Object.fromEntries(DAEMONS.map((d) => [d.name, daemonPid(dir, d)]));
  /** @type {string | null} */
  let node = null;
  if (daemons.slurmctld) {
    const r = spawnSync('sinfo', ['-h', '-n', 'localhost', '-o', '%T'], { encoding: 'utf8', env: clusterEnv(dir) });
    if (r.status === 0) node = r.stdout.trim() || null;
  }
  return { dir, daemons, node };
}

/**
 * Starts the cluster in `dir` (a stale folder left by a crash is stopped and cleared first) and
 * waits until its node takes jobs. Returns { dir, env, seconds }, env being the clients' environment.
 */
export async function startCluster(dir, { timeoutMs = 60_000 } = {}) {
  dir = clusterDir(dir);
  const t0 = performance.now();
  const st = clusterStatus(dir);
  if (Object.values(st.daemons).every(Boolean) && /idle|mix|alloc/.test(st.node ?? '')) {
    return { dir, env: clusterEnv(dir), seconds: 0 };
  }
  if (existsSync(dir)) await stopCluster(dir);
  for (const sub of ['', 'munge', 'state', 'spool', 'log']) mkdirSync(join(dir, sub), { recursive: true });
  // munged refuses a socket whose folders others cannot traverse, and a key others can read.
  chmodSync(dir, 0o755);
  chmodSync(join(dir, 'munge'), 0o755);
  writeFileSync(join(dir, 'munge', 'munge.key'), randomBytes(1024), { mode: 0o600 });
  // Marks every process the daemons start (slurmstepd included), so that stop finds stragglers.
  const env = { ...clusterEnv(dir), URBANIZE_SLURM_CLUSTER: dir };
  run(
    'munged',
    [
      `--key-file=${dir}/munge/munge.key`,
      `--socket=${dir}/munge/munge.socket`,
      `--pid-file=${dir}/munge/munged.pid`,
      `--log-file=${dir}/log/munged.log`,
      `--seed-file=${dir}/munge/munged.seed`,
    ],
    env,
  );
  writeFileSync(join(dir, 'slurm.conf'), slurmConf(dir, await freePort(), await freePort()));
  const conf = join(dir, 'slurm.conf');
  run('slurmctld', ['-f', conf], env);
  run('slurmd', ['-f', conf, '-N', 'localhost'], env);
  while (!/^(idle|mix|alloc)/.test(clusterStatus(dir).node ?? '')) {
    if (performance.now() - t0 > timeoutMs) {
      const s = clusterStatus(dir);
      throw new Error(`the Slurm cluster in ${dir} did not come up in ${timeoutMs / 1000} s (node ${s.node ?? 'not answering'}): see ${dir}/log`);
    }
    await sleep(200);
  }
  return { dir, env: clusterEnv(dir), seconds: (performance.now() - t0) / 1000 };
}

/** Stops a daemon by its pid file: SIGTERM, and SIGKILL if it is still there 10 s later. */
async function stopDaemon(dir, d) {
  const pid = daemonPid(dir, d);
  if (!pid) return;
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 200 && comm(pid) === d.name; i++) await sleep(50);
  if (comm(pid) === d.name) process.kill(pid, 'SIGKILL');
}

/** Pids of live processes started by the cluster in `dir` (marked through their environment). */
function markedPids(dir) {
  const mark = `URBANIZE_SLURM_CLUSTER=${dir}\0`;
  const pids = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
    try {
      if ((readFileSync(`/proc/${e}/environ`, 'latin1') + '\0').includes(mark)) pids.push(Number(e));
    } catch {
      /* gone, or not ours to read */
    }
  }
  return pids;
}

/**
 * Stops the cluster in `dir`: cancels its jobs, stops its daemons by their pid files (SIGTERM,
 * then SIGKILL after 10 s), kills any process they left, and removes the folder. Safe to run
 * twice, and on a folder that is not there; a folder this script did not write is left alone.
 */
export async function stopCluster(dir) {
  dir = clusterDir(dir);
  if (!existsSync(dir)) return;
  const conf = join(dir, 'slurm.conf');
  if (existsSync(conf) && !readFileSync(conf, 'utf8').startsWith(MARK)) throw new Error(`${dir} holds a slurm.conf this script did not write: not touching it`);
  if (!existsSync(conf) && readdirSync(dir).some((f) => !['munge', 'state', 'spool', 'log'].includes(f)))
    throw new Error(`${dir} is not a cluster folder of this script: not touching it`);
  if (daemonPid(dir, DAEMONS[1])) {
    // Cancel the jobs first, so that their processes end with them rather than outlive slurmd.
    const env = clusterEnv(dir);
    const ids = spawnSync('squeue', ['-h', '-o', '%A'], { encoding: 'utf8', env }).stdout?.split('\n').filter(Boolean) ?? [];
    if (ids.length) spawnSync('scancel', ['--full', ...ids], { env, stdio: 'ignore' });
    for (let i = 0; i < 50; i++) {
      const q = spawnSync('squeue', ['-h', '-o', '%i'], { encoding: 'utf8', env });
      if (q.status !== 0 || !q.stdout.trim()) break;
      await sleep(200);
    }
  }
  // slurmd and slurmctld together (about 2 s each to shut down), then munged, which they use until then.
  await Promise.all(DAEMONS.slice(1).map((d) => stopDaemon(dir, d)));
  await stopDaemon(dir, DAEMONS[0]);
  for (const pid of markedPids(dir)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  rmSync(dir, { recursive: true, force: true });
}

if (process.argv[1] && existsSync(process.argv[1]) && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [command, dirArg] = process.argv.slice(2);
  const dir = clusterDir(dirArg);
  try {
    if (command === 'start') {
      const c = await startCluster(dir);
      process.stderr.write(`slurm-cluster: one node up in ${c.seconds.toFixed(1)} s (${dir}; logs in ${dir}/log)\n`);
      process.stdout.write(`export SLURM_CONF=${join(dir, 'slurm.conf')}\n`);
    } else if (command === 'stop') {
      const was = existsSync(dir);
      await stopCluster(dir);
      process.stderr.write(was ? `slurm-cluster: stopped; ${dir} removed\n` : `slurm-cluster: no cluster in ${dir}\n`);
    } else if (command === 'status') {
      const s = clusterStatus(dir);
      const up = Object.entries(s.daemons)
        .map(([n, pid]) => `${n} ${pid ? `pid ${pid}` : 'not running'}`)
        .join(', ');
      process.stdout.write(`${dir}: ${up}; node ${s.node ?? 'not answering'}\n`);
      process.exit(s.node && Object.values(s.daemons).every(Boolean) ? 0 : 3);
    } else {
      process.stderr.write('usage: node scripts/slurm-cluster.mjs start|stop|status [DIR]\n');
      process.exit(2);
    }
  } catch (e) {
    process.stderr.write(`slurm-cluster: error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
}
