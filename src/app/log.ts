/** How a use case reports: one line of output at a time (the command line prints it on stdout). */
export type Log = (line: string) => void;
