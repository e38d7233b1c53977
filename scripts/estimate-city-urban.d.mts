/** Types of scripts/estimate-city-urban.mjs, for the test that imports it (test/provenance.test.ts). */
type City = 'yangquan' | 'changzhi' | 'jincheng' | 'shuozhou' | 'jinzhong' | 'yuncheng' | 'linfen' | 'lvliang';
export declare const RESIDENTS: Record<City, number>;
export declare const OLDER: Record<City, [rate: number, year: number]>;
export declare const EIGHT_URBAN: number;
export declare function estimate(): { prior: Record<string, number>; shift: number; urban: Record<string, number> };
