/**
 * The bands of the agent pass (step.ts) and their tables by class: which rule owns which band, and
 * the widths, gates and bounds the pass rebuilds each tick. Kept out of the pass's file so that the
 * file of the hot loop holds the loop and its slow path only.
 */
import { Emp, EMPS, Tenure, TENURES } from '../world/agents.js';
import type { World } from '../world/world.js';
import type { TickContext } from './context.js';
import { EMP_BIRTHDAY } from './labour.js';
import { reviewRate } from './migration.js';
import { BANDS } from './scratch.js';
import { settleCap } from './settlement.js';

/** The agent rules, as bits of the pass's mask: the engine runs them all; a rule test runs one. */
export const RULE = { demography: 1, labour: 2, tenure: 4, migration: 8, settlement: 16, all: 31 } as const;

/**
 * The bands of a class, in their order in [0, 1) after death and birth (the permit band is at the
 * top): BANDS of them (scratch.ts sizes the width table by it).
 */
export const Band = { settlement: 0, review: 1, separation: 2, purchase: 3, shared: 4, allocation: 5, training: 6, permit: 7 } as const;
/** The birth band (demography), below the class's bands. */
export const BIRTH = -2;

// Constant tables (never written, so shared by every run). The tables the pass rebuilds each tick
// and its buffers are the run's (ctx.scratch.pass, scratch.ts).
export const empBirthday = Uint8Array.from(EMP_BIRTHDAY);
/** 1 for the tenures whose residents can change tenure (market renters and dormitory residents), by tenure. */
export const RENTER = Uint8Array.from({ length: TENURES }, (_, t) => (t === Tenure.marketRent || t === Tenure.dormitory ? 1 : 0));

/**
 * Fills the class tables of the tick for the rules in `mask` (scratch.ts, PassScratch): the band
 * widths and gates of each class, and by (place, employment) the bounds between which a draw,
 * plus the agent's death and birth widths, falls in none of its bands whatever its class (no need
 * to look the class up). Job seekers get the bound 2, so that they always look up their class
 * (and their hiring draw).
 */
export function classTables(w: World, ctx: TickContext, mask: number): void {
  const P = w.places,
    par = ctx.params,
    n = P.n,
    out = P.outside;
  const { widths, gate, bounds } = ctx.scratch.pass;
  const lab = (mask & RULE.labour) !== 0,
    ten = (mask & RULE.tenure) !== 0,
    mig = (mask & RULE.migration) !== 0,
    set = (mask & RULE.settlement) !== 0;
  const cap = settleCap(par);
  for (let p = 0; p < n; p++) {
    const urban = P.urban[p] === 1;
    for (let e = 0; e < EMPS; e++) {
      const working = e === Emp.urbanJob || e === Emp.unemployed;
      const pe = 2 * (p * EMPS + e);
      bounds[pe] = e === Emp.unemployed ? 2 : 0;
      bounds[pe + 1] = 1;
      for (let c = 0; c < 4; c++) {
        const l = c >> 1,
          renter = (c & 1) === 1;
        const k = (p * EMPS + e) * 4 + c,
          b = k * BANDS;
        widths[b + Band.separation] = lab && e === Emp.urbanJob ? par.separationTick : 0;
        widths[b + Band.review] = mig ? reviewRate(w, par, p, e, l === 1) : 0;
        widths[b + Band.purchase] = ten && urban && renter ? par.purchaseTick : 0;
        widths[b + Band.shared] = ten && urban && renter ? par.sharedOwnershipTick : 0;
        widths[b + Band.allocation] = ten && urban && renter ? par.affordableAllocTick : 0;
        widths[b + Band.settlement] = set && urban && l === 0 ? cap : 0;
        widths[b + Band.training] = lab && working && (urban || p === out) ? par.trainingTick : 0;
        widths[b + Band.permit] = set && urban && l === 0 ? par.permitTick : 0;
        let low = 0;
        for (let j = 0; j < Band.permit; j++) low += widths[b + j];
        gate[2 * k] = low;
        gate[2 * k + 1] = 1 - widths[b + Band.permit];
        if (low > bounds[pe]) bounds[pe] = low;
        if (gate[2 * k + 1] < bounds[pe + 1]) bounds[pe + 1] = gate[2 * k + 1];
      }
    }
  }
}
