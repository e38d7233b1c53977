/**
 * The observed series a backtest scores, how the model's value of each is read off a run, and
 * where its band's sd comes from: a group of the targets file (scenarios/targets/history.yaml),
 * whose stated observation error and model discrepancy give sd = sqrt(obs_error² + discrepancy²).
 * For a group stated as a pace (change_per_year) the sd is per year, so the level's sd is that
 * times the years from the start of the scenario to the observation. Urban residents have no group
 * of their own: their sd is the delta method over the urbanization and residents groups,
 * sqrt((R · sd_u / 100)² + (u / 100 · sd_R)²) at the runs' median rate u and residents R.
 * No observed figure is written here: the figures are read from data/observed/*.csv.
 */
import type { TrendForm } from '../results/naive.js';

/** One observed series the backtest scores. */
export interface BacktestSeries {
  /** Name in backtest.csv. */
  id: string;
  /** Data file (relative to the repository) and its series. */
  file: string;
  observed: string;
  /** The model's metric and how it is measured (calibrate/history.ts levelSimulator). */
  metric: string;
  measure: 'level' | 'per_mille';
  /** 'shanxi' or 'cities' (every city with a figure in the file). */
  regions: 'shanxi' | 'cities';
  trend: TrendForm;
  /** Targets-file group of the band's sd, or 'urban_delta' (see the module comment). */
  sd: string;
}

const PROVINCE = 'data/observed/province.csv';

/** The series, in the order of backtest.csv. */
export const BACKTEST_SERIES: readonly BacktestSeries[] = [
  {
    id: 'urbanization_rate',
    file: PROVINCE,
    observed: 'urbanization_rate',
    metric: 'urbanization_rate',
    measure: 'level',
    regions: 'shanxi',
    trend: 'logistic',
    sd: 'urbanization',
  },
  {
    id: 'residents',
    file: PROVINCE,
    observed: 'residents',
    metric: 'resident_population',
    measure: 'level',
    regions: 'shanxi',
    trend: 'exponential',
    sd: 'residents',
  },
  {
    id: 'urban_residents',
    file: PROVINCE,
    observed: 'urban_residents',
    metric: 'urban_population',
    measure: 'level',
    regions: 'shanxi',
    trend: 'exponential',
    sd: 'urban_delta',
  },
  {
    id: 'birth_rate',
    file: PROVINCE,
    observed: 'birth_rate',
    metric: 'births',
    measure: 'per_mille',
    regions: 'shanxi',
    trend: 'exponential',
    sd: 'birth_rate',
  },
  {
    id: 'death_rate',
    file: PROVINCE,
    observed: 'death_rate',
    metric: 'deaths',
    measure: 'per_mille',
    regions: 'shanxi',
    trend: 'exponential',
    sd: 'death_rate',
  },
  {
    id: 'income_ratio',
    file: PROVINCE,
    observed: 'urban_rural_income_ratio',
    metric: 'urban_rural_income_ratio',
    measure: 'level',
    regions: 'shanxi',
    trend: 'exponential',
    sd: 'income_ratio',
  },
  {
    id: 'new_urban_jobs',
    file: PROVINCE,
    observed: 'new_urban_jobs',
    metric: 'urban_new_jobs',
    measure: 'level',
    regions: 'shanxi',
    trend: 'exponential',
    sd: 'new_urban_jobs',
  },
  {
    id: 'hukou_urbanization_rate',
    file: PROVINCE,
    observed: 'hukou_urbanization_rate',
    metric: 'hukou_urbanization_rate',
    measure: 'level',
    regions: 'shanxi',
    trend: 'logistic',
    sd: 'hukou_urbanization_pace',
  },
  {
    id: 'city_residents',
    file: 'data/observed/cities-census.csv',
    observed: 'residents',
    metric: 'resident_population',
    measure: 'level',
    regions: 'cities',
    trend: 'exponential',
    sd: 'city_population_change',
  },
];
