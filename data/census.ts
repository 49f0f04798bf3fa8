// Reference statistics (mostly the 7th national census, 2020) that weight the synthetic populations.
//
// Sources:
// - Province populations: 第七次全国人口普查公报（第三号）——地区人口情况, National Bureau of Statistics, 2021-05-11
//   (resident population on 2020-11-01, 万人; mainland provinces only).
// - Age groups and sex ratios by age: 《中国人口普查年鉴-2020》 table 1-7 (全国分年龄、性别的人口), rounded.
// - Births 2021-2024: NBS statistical communiqués on national economic and social development (出生人口).
// - Ethnic shares by province: 7th census provincial communiqués, rounded; smaller groups folded into 其他.
// Figures are rounded; they shape plausible synthetic data and are not statistics to quote.

/** Resident population by 2-digit province code, 万人 (2020-11-01). */
export const PROVINCE_POPULATION_2020: Readonly<Record<string, number>> = {
  '11': 2189, // 北京
  '12': 1387, // 天津
  '13': 7461, // 河北
  '14': 3492, // 山西
  '15': 2405, // 内蒙古
  '21': 4259, // 辽宁
  '22': 2407, // 吉林
  '23': 3185, // 黑龙江
  '31': 2487, // 上海
  '32': 8475, // 江苏
  '33': 6457, // 浙江
  '34': 6103, // 安徽
  '35': 4154, // 福建
  '36': 4519, // 江西
  '37': 10153, // 山东
  '41': 9937, // 河南
  '42': 5775, // 湖北
  '43': 6644, // 湖南
  '44': 12601, // 广东
  '45': 5013, // 广西
  '46': 1008, // 海南
  '50': 3205, // 重庆
  '51': 8367, // 四川
  '52': 3856, // 贵州
  '53': 4721, // 云南
  '54': 365, // 西藏
  '61': 3953, // 陕西
  '62': 2502, // 甘肃
  '63': 592, // 青海
  '64': 720, // 宁夏
  '65': 2585, // 新疆
};

/**
 * Population by 5-year age group on 2020-11-01, 万人: [lowest age in group, population]. The last group is 85+.
 * The 30-34 and 50-54 bulges are the 1960s and late-1980s baby booms.
 */
export const AGE_GROUPS_2020: ReadonlyArray<readonly [number, number]> = [
  [0, 7788], [5, 9024], [10, 8526], [15, 7268], [20, 7494], [25, 9185], [30, 12415], [35, 9901], [40, 9296],
  [45, 11422], [50, 12116], [55, 10140], [60, 7338], [65, 7401], [70, 4959], [75, 3124], [80, 2038], [85, 1580],
];

/** Births after the census, 万人. */
export const BIRTHS_AFTER_2020: Readonly<Record<number, number>> = { 2021: 1062, 2022: 956, 2023: 902, 2024: 954 };

/** Men per 100 women by 5-year age group in 2020 (same group starts as AGE_GROUPS_2020). */
export const SEX_RATIO_BY_AGE_2020: readonly number[] = [
  111.3, 113.6, 115.0, 116.2, 113.3, 107.9, 105.4, 104.9, 104.3, 103.2, 101.9, 100.9, 100.8, 97.5, 96.0, 92.0, 85.0,
  68.0,
];

/** Approximate average wage level of a province relative to the national average (for incomes and contribution bases). */
export const PROVINCE_WAGE_FACTOR: Readonly<Record<string, number>> = {
  '11': 1.75, '31': 1.7, '44': 1.2, '33': 1.2, '32': 1.15, '12': 1.15, '54': 1.3, '35': 1.05, '37': 0.95, '41': 0.82,
  '13': 0.85, '14': 0.85, '23': 0.8, '22': 0.85, '21': 0.9, '36': 0.85, '34': 0.9, '42': 0.95, '43': 0.88, '45': 0.85,
  '46': 0.95, '50': 0.95, '51': 0.95, '52': 0.9, '53': 0.9, '61': 0.92, '62': 0.82, '63': 1.0, '64': 0.95, '65': 0.95,
  '15': 0.95,
};

/**
 * Ethnic composition (percent) for provinces where minorities are a notable share; every other province uses
 * DEFAULT_ETHNICITY. Weighted by PROVINCE_POPULATION_2020 this lands near the census figure of 91.11% 汉族.
 */
export const ETHNICITY_BY_PROVINCE: Readonly<Record<string, ReadonlyArray<readonly [string, number]>>> = {
  '45': [['汉族', 62.5], ['壮族', 31.4], ['瑶族', 3.7], ['苗族', 1.1], ['侗族', 0.7], ['其他', 0.6]],
  '65': [['维吾尔族', 44.9], ['汉族', 42.2], ['哈萨克族', 6.5], ['回族', 4.1], ['柯尔克孜族', 0.9], ['蒙古族', 0.7], ['其他', 0.7]],
  '54': [['藏族', 86.0], ['汉族', 12.2], ['其他', 1.8]],
  '64': [['汉族', 63.6], ['回族', 35.9], ['其他', 0.5]],
  '15': [['汉族', 78.7], ['蒙古族', 17.7], ['满族', 1.7], ['回族', 0.8], ['其他', 1.1]],
  '52': [['汉族', 63.4], ['苗族', 12.1], ['布依族', 7.1], ['侗族', 4.5], ['土家族', 3.7], ['彝族', 2.3], ['其他', 6.9]],
  '53': [['汉族', 66.9], ['彝族', 11.4], ['哈尼族', 3.8], ['白族', 3.4], ['傣族', 2.7], ['苗族', 2.6], ['壮族', 2.5], ['回族', 1.5], ['其他', 5.2]],
  '63': [['汉族', 50.5], ['藏族', 24.4], ['回族', 14.8], ['土族', 3.6], ['撒拉族', 2.2], ['蒙古族', 1.8], ['其他', 2.7]],
  '22': [['汉族', 93.7], ['朝鲜族', 3.8], ['满族', 2.0], ['其他', 0.5]],
  '21': [['汉族', 83.9], ['满族', 12.7], ['蒙古族', 1.6], ['回族', 0.6], ['朝鲜族', 0.5], ['其他', 0.7]],
  '23': [['汉族', 96.4], ['满族', 2.0], ['朝鲜族', 0.6], ['蒙古族', 0.3], ['其他', 0.7]],
  '13': [['汉族', 95.7], ['满族', 2.9], ['回族', 0.8], ['蒙古族', 0.4], ['其他', 0.2]],
  '43': [['汉族', 89.6], ['土家族', 4.1], ['苗族', 3.1], ['侗族', 1.3], ['瑶族', 1.1], ['其他', 0.8]],
  '42': [['汉族', 95.6], ['土家族', 3.6], ['苗族', 0.4], ['其他', 0.4]],
  '50': [['汉族', 93.6], ['土家族', 4.5], ['苗族', 1.5], ['其他', 0.4]],
  '51': [['汉族', 93.8], ['彝族', 3.5], ['藏族', 1.8], ['羌族', 0.4], ['其他', 0.5]],
  '62': [['汉族', 90.4], ['回族', 4.8], ['东乡族', 2.4], ['藏族', 1.9], ['其他', 0.5]],
  '46': [['汉族', 83.0], ['黎族', 15.7], ['苗族', 0.8], ['其他', 0.5]],
  '11': [['汉族', 95.0], ['满族', 1.6], ['回族', 1.3], ['蒙古族', 0.4], ['其他', 1.7]],
  '12': [['汉族', 97.3], ['回族', 1.3], ['满族', 0.6], ['其他', 0.8]],
  '35': [['汉族', 97.8], ['畲族', 0.9], ['其他', 1.3]],
  '33': [['汉族', 97.4], ['苗族', 0.5], ['土家族', 0.5], ['畲族', 0.3], ['其他', 1.3]],
  '44': [['汉族', 97.5], ['壮族', 1.0], ['苗族', 0.4], ['土家族', 0.3], ['瑶族', 0.2], ['其他', 0.6]],
  '41': [['汉族', 98.8], ['回族', 1.0], ['其他', 0.2]],
};

export const DEFAULT_ETHNICITY: ReadonlyArray<readonly [string, number]> = [
  ['汉族', 99.0], ['回族', 0.4], ['满族', 0.2], ['其他', 0.4],
];

/**
 * Household sizes (share of households, %), 7th census: 1 person 25.4, 2 persons 29.7, 3 persons 21.0,
 * 4 persons 13.2, 5 persons 6.1, 6+ 4.6 (here spread over 6 and 7).
 */
export const HOUSEHOLD_SIZES: ReadonlyArray<readonly [number, number]> = [
  [1, 25.4], [2, 29.7], [3, 21.0], [4, 13.2], [5, 6.1], [6, 3.0], [7, 1.6],
];
