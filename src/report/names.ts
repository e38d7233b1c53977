/**
 * Names the report shows, in Chinese and English: regions, metrics, sweep outcomes and factors;
 * and its numbers, as core/format.ts writes them.
 */
import { formatNumber, formatShare, PLAN_VALUE, REPORT_CELL } from '../core/format.js';

/** The 11 prefecture-level cities, in the model's order. */
export const CITY_NAMES: Record<string, [string, string]> = {
  taiyuan: ['太原', 'Taiyuan'],
  datong: ['大同', 'Datong'],
  yangquan: ['阳泉', 'Yangquan'],
  changzhi: ['长治', 'Changzhi'],
  jincheng: ['晋城', 'Jincheng'],
  shuozhou: ['朔州', 'Shuozhou'],
  jinzhong: ['晋中', 'Jinzhong'],
  yuncheng: ['运城', 'Yuncheng'],
  xinzhou: ['忻州', 'Xinzhou'],
  linfen: ['临汾', 'Linfen'],
  lvliang: ['吕梁', 'Lüliang'],
};

const REGION_NAMES: Record<string, [string, string]> = {
  shanxi: ['山西省', 'Shanxi'],
  central_cluster: ['山西中部城市群', 'central city cluster'],
  ...CITY_NAMES,
};

/** "太原 Taiyuan", or the id itself for an unknown region. */
export function regionName(id: string): string {
  const n = REGION_NAMES[id];
  return n ? `${n[0]} ${n[1]}` : id;
}

const METRIC_NAMES: Record<string, [string, string]> = {
  resident_population: ['常住人口', 'resident population'],
  urban_population: ['城镇常住人口', 'urban residents'],
  urbanization_rate: ['常住人口城镇化率', 'resident urbanization rate'],
  hukou_urbanization_rate: ['户籍人口城镇化率', 'hukou urbanization rate'],
  urban_new_jobs: ['城镇新增就业', 'new urban jobs'],
  urban_unemployment_rate: ['城镇失业率', 'urban unemployment rate'],
  urban_income: ['城镇居民人均可支配收入', 'urban disposable income'],
  rural_income: ['农村居民人均可支配收入', 'rural disposable income'],
  urban_rural_income_ratio: ['城乡收入比', 'urban-rural income ratio'],
  settlements: ['落户人数', 'hukou settlements'],
  residence_permit_coverage: ['居住证覆盖率', 'residence permit coverage'],
  affordable_housing_units: ['保障性住房套数', 'affordable housing units'],
  land_quota_ha: ['人地挂钩用地', 'land quota (ha)'],
  net_out_migration: ['净迁出', 'net out-migration'],
  skilled_share: ['技能劳动者占比', 'skilled share of employed'],
  central_city_population: ['城区人口', 'central-district population'],
  births: ['出生', 'births'],
  deaths: ['死亡', 'deaths'],
  in_migration: ['迁入', 'in-migration'],
  out_migration: ['迁出', 'out-migration'],
  land_reused_ha: ['闲置用地再利用', 'idle land reused (ha)'],
  rural_labour_transferred: ['农村劳动力转移', 'rural labour transferred'],
  urban_job_vacancy_rate: ['城镇岗位空缺率', 'urban job vacancy rate'],
  urban_wage_index: ['工资曲线指数', 'wage-curve index of urban wages'],
  construction_land_available_ha: ['可用建设用地', 'construction land available (ha)'],
  rural_income_from_away: ['外出务工带回收入', 'rural income from members working away'],
  rural_transfer_income: ['农村转移净收入', 'rural transfer income'],
  urban_gain_reclassification: ['就地转为城镇人口', 'urban gain by reclassification'],
  urban_gain_migration: ['城镇人口净迁入', 'urban gain by migration'],
  urban_gain_natural: ['城镇人口自然增长', 'urban natural increase'],
};

/** "常住人口城镇化率 resident urbanization rate", or the id. */
export function metricName(id: string): string {
  const n = METRIC_NAMES[id];
  return n ? `${n[0]} ${n[1]}` : id;
}

const METRIC_SHORT: Record<string, [string, string]> = {
  urbanization_rate: ['城镇化率', 'urbanization'],
  hukou_urbanization_rate: ['户籍城镇化率', 'hukou urbanization'],
  urban_new_jobs: ['城镇新增就业', 'new urban jobs'],
  urban_unemployment_rate: ['城镇失业率', 'unemployment'],
  urban_rural_income_ratio: ['城乡收入比', 'income ratio'],
  residence_permit_coverage: ['居住证覆盖率', 'permit coverage'],
  skilled_share: ['技能人才占比', 'skilled share'],
  central_city_population: ['城区人口', 'central-district pop.'],
};

/** A short bilingual metric name for chart rows: "城镇化率 urbanization". */
export function metricShort(id: string): string {
  const n = METRIC_SHORT[id] ?? METRIC_NAMES[id];
  return n ? `${n[0]} ${n[1]}` : id;
}

/** Which way is better for a target: ↑ at least, ↓ at most, ≈ about. */
export function direction(comparator: string): string {
  return comparator.startsWith('>') ? '↑' : comparator.startsWith('<') ? '↓' : '≈';
}

/** A sweep outcome "metric.region.year" in words. */
export function outcomeName(outcome: string): string {
  const [metric, region, year] = outcome.split('.');
  if (!region) return metricName(outcome);
  return `${metricName(metric)} · ${regionName(region)}${year ? ' · ' + year : ''}`;
}

/** A short outcome label for chart facets: "城镇化率 urbanization · 太原 Taiyuan 2025". */
export function outcomeShort(outcome: string): string {
  const [metric, region, year] = outcome.split('.');
  return `${metricShort(metric)} · ${region ? regionName(region) : ''}${year ? ' ' + year : ''}`;
}

/** The unit suffix of a target's value. */
export function unitSuffix(unit: string | undefined): string {
  if (!unit || unit === 'ratio' || unit === 'qualitative') return '';
  if (unit === '%') return '%';
  return ' ' + unit;
}

/** A target's value as the plan states it: 68, 89.5, 450,000 (PLAN_VALUE). */
export function fmtPlan(v: number, unit?: string): string {
  return formatNumber(v, { ...PLAN_VALUE, whole: unit === 'persons' });
}

/** A number of the report's tables: persons and units whole with separators, others with 2 decimals, a dash for none (REPORT_CELL). */
export function fmtNum(v: number | undefined, unit?: string): string {
  return formatNumber(v, { ...REPORT_CELL, whole: unit === 'persons' || unit === 'units' });
}

/** A probability as a whole percentage, a dash for none. */
export function fmtP(p: number | undefined): string {
  return formatShare(p, '—');
}
