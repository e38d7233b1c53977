/**
 * What calibration fits: observed yearly rates of Shanxi's recent history, each with its source,
 * and how the model's value is read off a run. The model starts at the 2020 census, so it is fit
 * to history by its rates: the simulated change from the census to the end of 2022 (26 months
 * with monthly ticks) per year, set against the observed yearly change of 2016-2020 (or
 * 2010-2020, 2017-2020, 2020). Why rates and not a back-cast: the census is the only consistent
 * detailed state (the annual sample estimates before 2020 disagree with it, see
 * data/reference/shanxi-data.md), and a 2015 or 2010 state would have to be invented.
 */
import { M, REGIONS, obsIndex, type ObsShape } from '../engine/metrics.js';

/** A calibration target. `tolerance` scales its residual (about the uncertainty of the comparison). */
export interface CalibrationTarget {
  id: string;
  label: string;
  observed: number;
  unit: string;
  tolerance: number;
  source: string;
  /** The simulated value of one run (values: its observations). */
  simulate(values: Float64Array, shape: ObsShape, span: number): number;
}

/** Years from the census (2020-11-01) to the end of the last simulated year. */
export const spanYears = (shape: ObsShape) => shape.years.at(-1)! - 2020 + 2 / 12;

const region = (id: string) => (REGIONS as readonly string[]).indexOf(id);
const stockRate = (m: number, r: number) => (v: Float64Array, sh: ObsShape, span: number) =>
  (v[obsIndex(sh, m, r, sh.years.length - 1)] - v[obsIndex(sh, m, r, 0)]) / span;
const flowRate = (m: number, r: number) => (v: Float64Array, sh: ObsShape, span: number) => {
  let s = 0;
  for (let y = 1; y < sh.years.length; y++) s += v[obsIndex(sh, m, r, y)];
  return s / span;
};

const cityChange = (id: string, y2010: number, y2020: number): CalibrationTarget => ({
  id: `population_change_${id}`,
  label: `${id}: resident population change per year, 2010-2020`,
  observed: (y2020 - y2010) / 10,
  unit: 'persons/yr',
  tolerance: 15000,
  source: `2010 and 2020 censuses (data/reference/shanxi-data.md, cities): ${y2010} -> ${y2020}`,
  simulate: stockRate(M.resident_population, region(id)),
});

/** Every calibration target. */
export const CALIBRATION_TARGETS: CalibrationTarget[] = [
  {
    id: 'urbanization_gain',
    label: 'urbanization rate, points gained per year, 2015-2020',
    observed: (62.53 - 55.87) / 5,
    unit: 'points/yr',
    tolerance: 0.15,
    source: 'plan 第一章第一节: 55.87% (2015) -> 62.53% (2020)',
    simulate: stockRate(M.urbanization_rate, 0),
  },
  {
    id: 'urban_residents_growth',
    label: 'urban residents gained per year, 2015-2020',
    observed: (21830000 - 19660000) / 5,
    unit: 'persons/yr',
    tolerance: 60000,
    source: 'plan 第一章第一节: 1966万 (2015) -> 2183万 (2020)',
    simulate: stockRate(M.urban_population, 0),
  },
  {
    id: 'hukou_urbanization_gain',
    label: 'hukou urbanization rate, points gained per year, 2017-2020',
    observed: (42.9 - 40.06) / 3,
    unit: 'points/yr',
    tolerance: 0.15,
    source: 'statistical bulletins: 40.06% (2017) -> 42.90% (2020) (data/reference/shanxi-data.md)',
    simulate: stockRate(M.hukou_urbanization_rate, 0),
  },
  {
    id: 'population_change',
    label: 'resident population change per year, 2010-2020',
    observed: (34915616 - 35712111) / 10,
    unit: 'persons/yr',
    tolerance: 30000,
    source: 'censuses 2010 and 2020 (data/reference/shanxi-data.md): 35,712,111 -> 34,915,616',
    simulate: stockRate(M.resident_population, 0),
  },
  {
    id: 'rural_labour_transferred',
    label: 'rural workers leaving villages for towns or other provinces per year, 2016-2020',
    observed: 1934000 / 5,
    unit: 'persons/yr',
    tolerance: 80000,
    source:
      'plan 第一章第一节: 193.4万 rural labour transferred over 2016-2020 (the official count also includes off-farm work without moving: an upper bound)',
    simulate: flowRate(M.rural_labour_transferred, 0),
  },
  {
    id: 'urban_new_jobs',
    label: 'urban new jobs per year, 2020',
    observed: 488000,
    unit: 'persons/yr',
    tolerance: 80000,
    source: '2020 human-resources bulletin: 48.8万 (data/reference/shanxi-data.md)',
    simulate: flowRate(M.urban_new_jobs, 0),
  },
  {
    id: 'urban_unemployment_level',
    label: 'urban unemployment rate at the end of the horizon',
    observed: 5.0,
    unit: '%',
    tolerance: 1.0,
    source:
      'a soft constraint, not an observation: the rate stays near its 2020 level (registered 3.11% at end-2020, data/reference/shanxi-data.md; the surveyed rate, not found, is assumed 5.0%)',
    simulate: (v, sh) => v[obsIndex(sh, M.urban_unemployment_rate, 0, sh.years.length - 1)],
  },
  cityChange('taiyuan', 4201591, 5304061),
  cityChange('datong', 3318057, 3105591),
  cityChange('changzhi', 3334564, 3180884),
  cityChange('jincheng', 2279151, 2194545),
  cityChange('yuncheng', 5134794, 4774508),
  cityChange('linfen', 4316612, 3976481),
  cityChange('lvliang', 3727057, 3398431),
];

/** The hold-out checks: fit without these targets, then predict them. */
export const HOLDOUT = {
  cities: ['population_change_yuncheng', 'population_change_linfen', 'population_change_lvliang'],
};
