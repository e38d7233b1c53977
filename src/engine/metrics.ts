/**
 * The indicators observed each year, and the regions they are observed for. Year 2020 is the
 * census state at the start; year Y > 2020 is the state at the end of Y. Flow metrics count what
 * happened in the year; the first simulated year runs from the census (2020-11-01) to the end of
 * 2021, so 2021's flows cover 14 months (with monthly ticks) and 2020 has no flows.
 */
import { CITY_IDS } from '../scenario/constants.js';

/** Metric definitions: id, unit, and whether it is a flow over the year (else a stock at year end). */
export const METRICS = [
  { id: 'resident_population', unit: 'persons', flow: false },
  { id: 'urban_population', unit: 'persons', flow: false },
  { id: 'urbanization_rate', unit: '%', flow: false },
  { id: 'hukou_urbanization_rate', unit: '%', flow: false },
  { id: 'urban_new_jobs', unit: 'persons', flow: true },
  { id: 'urban_unemployment_rate', unit: '%', flow: false },
  { id: 'urban_income', unit: 'yuan', flow: false },
  { id: 'rural_income', unit: 'yuan', flow: false },
  { id: 'urban_rural_income_ratio', unit: 'ratio', flow: false },
  { id: 'settlements', unit: 'persons', flow: true },
  { id: 'residence_permit_coverage', unit: '%', flow: false },
  { id: 'affordable_housing_units', unit: 'units', flow: false },
  { id: 'land_quota_ha', unit: 'ha', flow: true },
  { id: 'net_out_migration', unit: 'persons', flow: true },
  { id: 'skilled_share', unit: '%', flow: false },
  { id: 'central_city_population', unit: 'persons', flow: false },
  { id: 'births', unit: 'persons', flow: true },
  { id: 'deaths', unit: 'persons', flow: true },
  { id: 'in_migration', unit: 'persons', flow: true },
  { id: 'out_migration', unit: 'persons', flow: true },
  { id: 'old_compounds_renovated', unit: 'compounds', flow: false },
  { id: 'land_reused_ha', unit: 'ha', flow: true },
  { id: 'rural_labour_transferred', unit: 'persons', flow: true },
] as const;

export type MetricId = (typeof METRICS)[number]['id'];
/** Index of each metric in observation arrays. */
export const M = Object.fromEntries(METRICS.map((m, i) => [m.id, i])) as Record<MetricId, number>;

/** Region ids: the province, the 11 cities, the central city cluster. */
export const REGIONS = ['shanxi', ...CITY_IDS, 'central_cluster'] as const;
export type RegionId = (typeof REGIONS)[number];
export const CLUSTER_REGION = REGIONS.length - 1;

/** Shape of one run's observations: value of (metric, region, year) at ((m * R) + r) * Y + y. */
export interface ObsShape {
  years: number[];
}

/** Index into an observation array. */
export function obsIndex(shape: ObsShape, m: number, r: number, y: number): number {
  return (m * REGIONS.length + r) * shape.years.length + y;
}

/** Length of one run's observation array. */
export function obsLength(shape: ObsShape): number {
  return METRICS.length * REGIONS.length * shape.years.length;
}
