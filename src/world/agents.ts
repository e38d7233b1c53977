/**
 * Agent state as struct-of-arrays typed-array columns indexed by a dense agent id (the bitECS
 * layout): the rules loop over ids and touch only the columns they need. One agent stands for
 * `scale` persons. Ids are stable for the life of a run: the dead keep their slot (place = DEAD),
 * the newborn are appended, so that an agent's keyed random draws never shift when someone else
 * dies or is born (common random numbers across policy variants).
 *
 * 15 bytes per agent slot; see docs/model.md for the meaning of every code.
 */

/** Employment states. */
export const Emp = { farming: 0, localNonFarm: 1, urbanJob: 2, unemployed: 3, outOfLabourForce: 4 } as const;
/** Number of employment states, for tables indexed by employment. */
export const EMPS = 5;
/** Housing tenures. */
export const Tenure = { ruralHome: 0, marketRent: 1, owned: 2, affordableRental: 3, publicRental: 4, dormitory: 5, sharedOwnership: 6 } as const;
/** Number of tenures, for tables indexed by tenure. */
export const TENURES = 7;
/** Skill levels: below senior high; senior high or secondary technical; university or certified skilled. */
export const Skill = { low: 0, mid: 1, high: 2 } as const;
/** Number of skill levels, for tables indexed by skill. */
export const SKILLS = 3;

/** Bits of the `flags` column. */
export const Flag = {
  urbanHukou: 1,
  female: 2,
  permit: 4,
  landRights: 8,
  /**
   * The sector of an urban job, in two bits (`sectorOf`): services (16), public (32), neither =
   * industry; meaningful only when employed in an urban job.
   */
  services: 16,
  publicSector: 32,
  /**
   * Lost an urban job in Shanxi by moving and not hired since: the next hire is a change of job,
   * not new employment (城镇新增就业 counts people newly employed, docs/model.md 5.2).
   */
  jobMover: 64,
} as const;

/** Urban job sectors, the codes of `sectorOf`. */
export const Sector = { industry: 0, services: 1, public: 2 } as const;
/** The sector bits of `flags`. */
export const SECTOR_BITS = Flag.services | Flag.publicSector;

/** The sector of an urban job held by an agent with these flags (0 industry, 1 services, 2 public). */
export const sectorOf = (flags: number): number => (flags >> 4) & 3;
/** `flags` with the sector bits set to `sector`. */
export const withSector = (flags: number, sector: number): number => (flags & ~SECTOR_BITS) | (sector << 4);

/** Sets agent i's change mark (Agents.marks): its place, tenure, hukou or permit has changed. */
export function markChanged(A: Agents, i: number): void {
  A.marks[i >>> 5] |= 1 << (i & 31);
}

/** `place` value of a dead agent's slot. */
export const DEAD = 0xffff;

/** Agents per slice of `forSlices`. */
const SLICE = 1 << 16;

/**
 * Calls body(from, to) on the agent ids [0, n) in slices of 65536, in id order. Why: V8 (Node 20)
 * compiles a loop that runs once, over tens of millions of agents, as on-stack-replacement code,
 * which ran the world build's loops 1.2 to 1.9 times slower than the code it compiles for a
 * function called many times, such as the body of a sliced loop (scale 1: the assignment of
 * employment 1.21 s as one loop, 0.95 s in slices; the counting of stocks 0.62 s and 0.33 s). A
 * running sum is carried from slice to slice (read into a local at the start of the body, written
 * back at the end), so that it adds the same terms in the same order as one loop.
 */
export function forSlices(n: number, body: (from: number, to: number) => void): void {
  for (let from = 0; from < n; from += SLICE) body(from, Math.min(n, from + SLICE));
}

/** The agent columns. `count` slots are in use; columns have room for `capacity`. */
export class Agents {
  count = 0;
  capacity: number;
  place: Uint16Array;
  hukouPlace: Uint16Array;
  age: Uint8Array;
  skill: Uint8Array;
  emp: Uint8Array;
  tenure: Uint8Array;
  flags: Uint8Array;
  /** Months in the current place, saturating at 65535. */
  months: Uint16Array;
  /**
   * The agent's mother (an agent id), or -1 = none: set for children at the build and for every
   * newborn (src/world/family.ts, demography.ts), cleared when she dies (model/family.ts). Ids are
   * stable, so the link survives the pass; it matters for moves and hukou only under 16.
   */
  parent: Int32Array;
  /**
   * One bit per slot (`markChanged`): set when the agent's place, tenure, hukou or permit changes,
   * cleared by the family step after each of its passes (model/family.ts), which re-reads a
   * mother's columns only when her bit is set. Not part of the agent's state: a run's copy starts
   * with every bit clear (`clone`), and the family step reads every mother's columns at its first
   * pass.
   */
  marks: Uint32Array;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.place = new Uint16Array(capacity);
    this.hukouPlace = new Uint16Array(capacity);
    this.age = new Uint8Array(capacity);
    this.skill = new Uint8Array(capacity);
    this.emp = new Uint8Array(capacity);
    this.tenure = new Uint8Array(capacity);
    this.flags = new Uint8Array(capacity);
    this.months = new Uint16Array(capacity);
    this.parent = new Int32Array(capacity).fill(-1);
    this.marks = new Uint32Array(Math.ceil(capacity / 32));
  }

  /** Bytes per agent slot over all columns. */
  static readonly BYTES_PER_AGENT = 2 + 2 + 1 + 1 + 1 + 1 + 1 + 2 + 4;

  /** Appends one slot and returns its id, growing the columns by half when full. */
  add(): number {
    if (this.count === this.capacity) this.grow(Math.ceil(this.capacity * 1.5) + 16);
    return this.count++;
  }

  /** Reallocates every column to `capacity` slots, keeping the data. */
  grow(capacity: number): void {
    const copy = <T extends Uint8Array | Uint16Array | Int32Array>(a: T, make: (n: number) => T): T => {
      const b = make(capacity);
      b.set(a.subarray(0, this.count));
      return b;
    };
    this.place = copy(this.place, (n) => new Uint16Array(n));
    this.hukouPlace = copy(this.hukouPlace, (n) => new Uint16Array(n));
    this.age = copy(this.age, (n) => new Uint8Array(n));
    this.skill = copy(this.skill, (n) => new Uint8Array(n));
    this.emp = copy(this.emp, (n) => new Uint8Array(n));
    this.tenure = copy(this.tenure, (n) => new Uint8Array(n));
    this.flags = copy(this.flags, (n) => new Uint8Array(n));
    this.months = copy(this.months, (n) => new Uint16Array(n));
    this.parent = copy(this.parent, (n) => new Int32Array(n).fill(-1));
    const marks = new Uint32Array(Math.ceil(capacity / 32));
    marks.set(this.marks);
    this.marks = marks;
    this.capacity = capacity;
  }

  /** A deep copy holding exactly the used slots plus `headroom` free ones (each run works on its own copy). */
  clone(headroom: number): Agents {
    const a = new Agents(this.count + headroom);
    a.count = this.count;
    a.place.set(this.place.subarray(0, this.count));
    a.hukouPlace.set(this.hukouPlace.subarray(0, this.count));
    a.age.set(this.age.subarray(0, this.count));
    a.skill.set(this.skill.subarray(0, this.count));
    a.emp.set(this.emp.subarray(0, this.count));
    a.tenure.set(this.tenure.subarray(0, this.count));
    a.flags.set(this.flags.subarray(0, this.count));
    a.months.set(this.months.subarray(0, this.count));
    a.parent.set(this.parent.subarray(0, this.count));
    return a;
  }
}
