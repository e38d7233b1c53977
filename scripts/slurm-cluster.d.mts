/** Types of scripts/slurm-cluster.mjs, for the test that imports it. */
export declare function clusterDir(dir?: string): string;
export declare function clusterEnv(dir?: string, env?: NodeJS.ProcessEnv): NodeJS.ProcessEnv & { SLURM_CONF: string };
export declare function clusterStatus(dir?: string): { dir: string; daemons: Record<'munged' | 'slurmctld' | 'slurmd', number | null>; node: string | null };
export declare function startCluster(
  dir?: string,
  opts?: { timeoutMs?: number },
): Promise<{ dir: string; env: NodeJS.ProcessEnv & { SLURM_CONF: string }; seconds: number }>;
export declare function stopCluster(dir?: string): Promise<void>;
