/**
 * The agent pass: one pass over the agents per tick, in which the five agent rules act
 * (docs/model.md, "The tick and the agent's draw").
 *
 * Each living agent gets one keyed draw u per tick. Every stochastic event of the rules is a
 * band of [0, 1), so that an agent has at most one of them per tick (competing risks):
 *
 *   [0, d)            death (demography; d by sex and age)
 *   [d, d + b)        a birth (demography; b by residence, sex and age)
 *   then, from d + b, the bands of the agent's class (place, employment, local hukou or not,
 *   renter or not), in the order of `Band`: hukou settlement (settlement), review of where to live
 *   (migration), job loss (labour), purchase, shared ownership and affordable or public rental
 *   (housing tenure), training (labour); and, at the top, [1 - permit rate, 1) a residence
 *   permit (settlement).
 *
 * The draw is compared with the end of the agent's bands (a table by class plus one by residence,
 * sex and age) and with the start of the permit band; only the agents under the one or over the other
 * (unless they hold a permit already, for whom the permit band does nothing), the job seekers
 * whose own hiring draw (Channel.hire) is under their place's hiring probability, and those with
 * a labour event on their birthday go to the slow path (`act`), which finds the band and applies
 * the event.
 *
 * Common random numbers: a band's place in [0, 1) never depends on a lever. The settlement band's
 * width is the most the settlement probability can be whatever the levers (settleCap); the
 * widths of the bands after it, up to training, are behaviour parameters; the training band is
 * the last of the lower stack and the permit band sits at the top. So a lever that changes one
 * rate leaves every other band of every agent where it was. Bands are reserved by class, not by
 * eligibility (a renter without a job keeps its purchase band, a child its review band):
 * eligibility can follow the levers, band positions must not. A band's position does depend on
 * the agent's class, which a policy can change (a new job, a new tenure); the order puts first
 * the bands whose position should depend on the least: the settlement band's start depends only
 * on age, sex and whether the place is urban (the birth band's width; the place is in the class),
 * the review band's also on local hukou, and the later bands on employment.
 *
 * The pass runs in blocks (occupancy.ts, BLOCK): the loop over a block ages the agents, counts
 * their months in place and compares draws, without calls; the block's candidates then act in id
 * order. An agent's event changes its own columns and place-level stocks, never the columns
 * another agent's comparison reads, so the results are those of acting at once.
 */
import { Channel, drawKeyed, tickKey } from '../core/random.js';
import { DEAD, Emp, EMPS, Flag } from '../world/agents.js';
import type { World } from '../world/world.js';
import type { Rule, TickContext } from './context.js';
import { bear, demographyWidths, die } from './demography.js';
import { housingMarket, tenureChange } from './housing.js';
import { birthday, birthdayAges, hire, labourMarket, loseJob, tickIncomes, train, wageLevel } from './labour.js';
import { landReuse } from './land.js';
import { choiceTables, review } from './migration.js';
import { family } from './family.js';
import { reclassify } from './reclassify.js';
import { BLOCK } from './occupancy.js';
import { URBAN_FERTILITY } from './params.js';
import { BANDS } from './scratch.js';
import { Band, BIRTH, classTables, empBirthday, RENTER, RULE } from './bands.js';
import { grantPermit, settle, settleProbability } from './settlement.js';

/** One tick of the agent rules in `mask` (bits of RULE) over all agents. */
export function agentPass(w: World, ctx: TickContext, mask: number): void {
  const A = w.agents,
    par = ctx.params,
    S = ctx.scratch.pass;
  const demog = (mask & RULE.demography) !== 0,
    lab = (mask & RULE.labour) !== 0,
    mig = (mask & RULE.migration) !== 0;
  classTables(w, ctx, mask);
  const demo = S.demo,
    demoAge = S.demoAge;
  if (demog) demographyWidths(ctx, S.death, S.birth, demo);
  else demo.fill(0);
  for (let a = 0; a < 256; a++) {
    const f = (Flag.female << 7) | a;
    demoAge[a] = Math.max(demo[a], demo[f], demo[URBAN_FERTILITY | a], demo[URBAN_FERTILITY | f]);
  }
  birthdayAges(par, S.bdayAges);
  const key = (ch: number) => tickKey(ctx.runKey, ctx.tick, ch);
  S.mask = mask;
  S.kEvent = key(Channel.event);
  S.kHire = key(Channel.hire);
  S.kEntry = key(Channel.labourEntry);
  S.kJoin = key(Channel.participation);
  S.kFarm = key(Channel.farmEntry);
  S.kExit = key(Channel.landExit);
  S.level = wageLevel(ctx);
  if (mig) choiceTables(w, ctx);
  S.nMothers = 0;
  // Columns, tables and constants in locals: the loop then reads typed arrays directly (an
  // imported object's property read in the loop costs a load each time, about 1 ns per agent).
  const place = A.place,
    ageCol = A.age,
    empCol = A.emp,
    hukou = A.hukouPlace,
    flags = A.flags,
    months = A.months,
    tenure = A.tenure,
    rent = RENTER;
  const g = S.gate,
    dw = demo,
    bd = S.bdayAges,
    eb = empBirthday,
    da = demoAge,
    fb = S.bounds,
    res = par.fertResidence;
  const DEAD_ = DEAD,
    F_female = Flag.female,
    F_permit = Flag.permit,
    EMPS_ = EMPS,
    E_unemployed = Emp.unemployed,
    kEvent = S.kEvent,
    kHire = S.kHire,
    tpy = par.tpy;
  const hp = ctx.scratch.hiring;
  const count = A.count;
  let phase = (count === 0 ? 0 : ((0 - ctx.tick) % tpy) + tpy) % tpy; // i mod tpy == tick mod tpy <=> phase == 0
  for (let start = 0; start < count; start += BLOCK) {
    const end = Math.min(count, start + BLOCK);
    let nc = 0;
    for (let i = start; i < end; i++, phase = phase === tpy - 1 ? 0 : phase + 1) {
      const p = place[i];
      if (p === DEAD_) continue;
      let age = ageCol[i];
      const emp = empCol[i];
      let slow = false;
      if (phase === 0) {
        if (demog && age < 255) ageCol[i] = ++age;
        slow = lab && (bd[age] & eb[emp]) !== 0;
      }
      if (mig) {
        const m = months[i];
        if (m < 65535) months[i] = m + 1;
      }
      const u = drawKeyed(kEvent, i);
      // Most draws fall between the bands of every class of the agent's place and employment: no
      // need to look up its class.
      const j = 2 * (p * EMPS_ + emp);
      if (u >= fb[j] + da[age] && u < fb[j + 1] && !slow) continue;
      const k = 4 * j + 2 * ((hukou[i] === p ? 2 : 0) + rent[tenure[i]]);
      // A draw in the permit band does nothing to an agent that holds a permit (grantPermit). A job
      // seeker's hiring has its own draw (the branch is predictable: a place's seekers are together).
      const fl = flags[i];
      if (
        slow ||
        u < dw[res[p] | ((fl & F_female) << 7) | age] + g[k] ||
        (u >= g[k + 1] && (fl & F_permit) === 0) ||
        (lab && emp === E_unemployed && drawKeyed(kHire, i) < hp[p])
      ) {
        // The candidates' tables through S, not in locals: written only here (act reads them), in
        // locals they would hold registers that the loop needs (1% of the run, measured).
        S.candidateDraw[nc] = u;
        S.candidateBirthday[nc] = slow ? 1 : 0;
        S.candidates[nc++] = i;
      }
    }
    for (let c = 0; c < nc; c++) act(w, ctx, c);
  }
  const kSex = key(Channel.birthSex),
    kLeft = key(Channel.leftBehind),
    mothers = S.mothers;
  for (let k = 0; k < S.nMothers; k++) bear(w, ctx, mothers[k], kSex, kLeft);
}

/**
 * The slow path of the block's candidate c, agent i: its birthday's labour events (found by the
 * loop), the event its draw u falls on, and, for a job seeker, its hiring draw. (The draw is read
 * from the candidates' table, not passed: a double argument to a call that is not inlined is
 * boxed, an allocation per call.)
 */
function act(w: World, ctx: TickContext, c: number): void {
  const S = ctx.scratch.pass,
    i = S.candidates[c],
    u = S.candidateDraw[c],
    widths = S.widths;
  const A = w.agents,
    par = ctx.params,
    mask = S.mask,
    p = A.place[i],
    emp0 = A.emp[i],
    age = A.age[i];
  const lab = (mask & RULE.labour) !== 0;
  if (S.candidateBirthday[c] === 1) birthday(w, ctx, i, S.kEntry, S.kJoin, S.kFarm);
  let x = u,
    band = -1;
  if (mask & RULE.demography) {
    const sa = ((A.flags[i] & Flag.female) << 7) | age;
    const d = S.death[sa];
    if (x < d) {
      die(w, ctx.flows, i);
      return;
    }
    x -= d;
    const b = S.birth[par.fertResidence[p] | sa];
    if (x < b) band = BIRTH;
    else x -= b;
  }
  const base = ((p * EMPS + emp0) * 4 + (A.hukouPlace[i] === p ? 2 : 0) + RENTER[A.tenure[i]]) * BANDS;
  if (band === -1) {
    for (let j = 0; j < Band.permit; j++) {
      const wj = widths[base + j];
      if (x < wj) {
        band = j;
        break;
      }
      x -= wj;
    }
    if (band === -1 && u >= 1 - widths[base + Band.permit]) band = Band.permit;
  }
  switch (band) {
    case BIRTH:
      if (S.nMothers === S.mothers.length) {
        const m = new Int32Array(S.mothers.length * 2);
        m.set(S.mothers);
        S.mothers = m;
      }
      S.mothers[S.nMothers++] = i;
      break;
    case Band.separation:
      if (A.emp[i] === Emp.urbanJob) loseJob(w, i);
      break;
    case Band.review:
      if (age >= par.minAge && age <= par.maxAge) review(w, ctx, i);
      break;
    case Band.purchase:
    case Band.shared:
    case Band.allocation:
      tenureChange(w, par, i, band - Band.purchase, x, S.level);
      break;
    case Band.settlement:
      if (x < settleProbability(w, par, i)) settle(w, ctx, i, S.kExit);
      break;
    case Band.training:
      if (A.emp[i] === Emp.urbanJob || A.emp[i] === Emp.unemployed) train(w, i);
      break;
    case Band.permit:
      grantPermit(w, par, i);
      break;
  }
  if (lab && emp0 === Emp.unemployed && A.emp[i] === Emp.unemployed && A.place[i] === p) hire(w, ctx, i, drawKeyed(S.kHire, i));
}

/** Demography alone (ageing, deaths, births): for tests and the per-rule benchmark. */
export const demography: Rule = (w, ctx) => agentPass(w, ctx, RULE.demography);
/** The labour market's place step and the labour rule's agent events alone. */
export const labour: Rule = (w, ctx) => {
  labourMarket(w, ctx);
  agentPass(w, ctx, RULE.labour);
};
/** Housing tenure changes alone. */
export const housingTenure: Rule = (w, ctx) => agentPass(w, ctx, RULE.tenure);
/** Migration alone (months in place, reviews, moves), with the tick's income tables that the labour market step sets in the engine. */
export const migration: Rule = (w, ctx) => {
  tickIncomes(w, ctx);
  agentPass(w, ctx, RULE.migration);
};
/** Permits and hukou settlement alone. */
export const settlement: Rule = (w, ctx) => agentPass(w, ctx, RULE.settlement);
/** The five agent rules together: the engine's pass. */
export const agents: Rule = (w, ctx) => agentPass(w, ctx, RULE.all);

/** Each rule on its own, for the per-rule benchmark (bench/run.mjs) and tests. */
export const RULES: readonly [string, Rule][] = [
  ['demography', demography],
  ['labour', labour],
  ['housing market', housingMarket],
  ['housing tenure', housingTenure],
  ['migration', migration],
  ['settlement', settlement],
  ['family', family],
  ['reclassification', reclassify],
  ['land reuse', landReuse],
];
