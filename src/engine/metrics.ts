/**
 * The indicators observed each year, and the regions they are observed for. Year 2020 is the
 * census state at the start; year Y > 2020 is the state at the end of Y. Flow metrics count what
 * happened in the year; the first simulated year runs from the census (2020-11-01) to the end of
 * 2021, so 2021's flows cover 14 months (with monthly ticks) and 2020 has no flows.
 */
import { FLOWS, type MetricFlow } from '../model/context.js';
import { CITY_IDS } from '../scenario/constants.js';
import { flowClasses } from '../world/places.js';

/** A metric: id, unit, and whether it is a flow over the year (else a stock at year end). */
export interface Metric {
  id: MetricId;
  unit: string;
  flow: boolean;
}

type FlowMetricId = MetricFlow['metric']['id'];

/**
 * The layout of the observations (its order is part of every results file): the stocks and the
 * flows observe.ts derives itself, defined here, and the metrics of declared flow counters
 * (`FLOWS`, model/context.ts), named here by id where they sit. A declared flow's metric not named
 * here goes at the end.
 */
const LAYOUT = [
  { id: 'resident_population', unit: 'persons', flow: false },
  { id: 'urban_population', unit: 'persons', flow: false },
  { id: 'urbanization_rate', unit: '%', flow: false },
  { id: 'hukou_urbanization_rate', unit: '%', flow: false },
  { id: 'urban_new_jobs', unit: 'persons', flow: true },
  { id: 'urban_unemployment_rate', unit: '%', flow: false },
  { id: 'urban_income', unit: 'yuan', flow: false },
  { id: 'rural_income', unit: 'yuan', flow: false },
  { id: 'urban_rural_income_ratio', unit: 'ratio', flow: false },
  'settlements',
  { id: 'residence_permit_coverage', unit: '%', flow: false },
  { id: 'affordable_housing_units', unit: 'units', flow: false },
  'land_quota_ha',
  { id: 'net_out_migration', unit: 'persons', flow: true },
  { id: 'skilled_share', unit: '%', flow: false },
  { id: 'central_city_population', unit: 'persons', flow: false },
  'births',
  'deaths',
  { id: 'in_migration', unit: 'persons', flow: true },
  { id: 'out_migration', unit: 'persons', flow: true },
  'land_reused_ha',
  'rural_labour_transferred',
  { id: 'urban_job_vacancy_rate', unit: '%', flow: false },
  { id: 'urban_wage_index', unit: 'index', flow: false },
  { id: 'construction_land_available_ha', unit: 'ha', flow: false },
  { id: 'rural_income_from_away', unit: 'yuan', flow: false },
  { id: 'rural_transfer_income', unit: 'yuan', flow: false },
  'urban_gain_reclassification',
  'urban_gain_migration',
  { id: 'urban_gain_natural', unit: 'persons', flow: true },
  { id: 'left_behind_children', unit: 'persons', flow: false },
  { id: 'children_with_migrant_parents', unit: 'persons', flow: false },
  { id: 'left_behind_elderly', unit: 'persons', flow: false },
] as const satisfies readonly ({ id: string; unit: string; flow: boolean } | FlowMetricId)[];

type Listed = (typeof LAYOUT)[number];
export type MetricId = Exclude<Listed, string>['id'] | FlowMetricId;

const declared: Metric[] = FLOWS.flatMap((d) => ('metric' in d ? [{ id: d.metric.id, unit: d.metric.unit, flow: true }] : []));

/** Metric definitions, in the order of the observation layout. */
export const METRICS: readonly Metric[] = [
  ...LAYOUT.map((e) => (typeof e === 'string' ? (declared.find((d) => d.id === e) as Metric) : e)),
  ...declared.filter((d) => !(LAYOUT as readonly unknown[]).includes(d.id)),
];

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

/** Flow classes of the origin-destination moves (world/places.ts): a type of place in each city, and the rest of China. */
export const FLOW_CLASSES = flowClasses(CITY_IDS.length);

/**
 * Index into a run's values of the movers (persons) from flow class o to flow class d in year
 * index y ≥ 1 (2020 has no flows): the origin-destination block follows the observations, one
 * FLOW_CLASSES × FLOW_CLASSES matrix per simulated year.
 */
export function odIndex(shape: ObsShape, y: number, o: number, d: number): number {
  return obsLength(shape) + ((y - 1) * FLOW_CLASSES + o) * FLOW_CLASSES + d;
}

/** Length of one run's values: the observations, then the yearly origin-destination matrices. */
export function runLength(shape: ObsShape): number {
  return obsLength(shape) + Math.max(0, shape.years.length - 1) * FLOW_CLASSES * FLOW_CLASSES;
}
