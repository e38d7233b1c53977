/** Types of scripts/test-tools.mjs, for the tests that import it. */
export declare const TOOLS: Record<'chromium' | 'slurm', { bins: string[]; packages: string[]; why: string }>;
export declare function which(cmd: string): string | null;
export declare function findBrowser(env?: NodeJS.ProcessEnv): { path: string; error?: undefined } | { error: string; path?: undefined };
export declare function present(tool: 'chromium' | 'slurm'): boolean;
export declare function canApt(): boolean;
export declare function ensureTools(tools: ('chromium' | 'slurm')[], env?: NodeJS.ProcessEnv, log?: (s: string) => void): string[];
export declare const BROWSER_ARGS: string[];
