// Realistic Chinese personal names: surnames weighted by frequency, given names by sex and birth cohort, and
// name forms of 维吾尔, 哈萨克, 藏 and 蒙古 people who mostly do not use Han-style surnames.

import { WeightedTable, type Random } from './random.ts';

/**
 * Surname shares in percent, after the Ministry of Public Security's household-register ranking (《2020年全国姓名报告》
 * and earlier editions): the top 100 cover about 85% of people. The tail is compressed into a few rarer names.
 */
const SURNAMES: ReadonlyArray<readonly [string, number]> = [
  ['王', 7.12], ['李', 7.0], ['张', 6.74], ['刘', 5.1], ['陈', 4.61], ['杨', 3.22], ['黄', 2.45], ['赵', 2.19],
  ['吴', 2.0], ['周', 1.95], ['徐', 1.45], ['孙', 1.38], ['马', 1.29], ['朱', 1.28], ['胡', 1.16], ['郭', 1.13],
  ['何', 1.06], ['林', 1.02], ['高', 1.0], ['罗', 0.95], ['郑', 0.93], ['梁', 0.85], ['谢', 0.76], ['宋', 0.7],
  ['唐', 0.69], ['许', 0.66], ['韩', 0.65], ['邓', 0.62], ['冯', 0.62], ['曹', 0.59], ['彭', 0.58], ['曾', 0.57],
  ['肖', 0.55], ['田', 0.53], ['董', 0.52], ['潘', 0.5], ['袁', 0.5], ['蔡', 0.48], ['蒋', 0.48], ['余', 0.47],
  ['于', 0.47], ['杜', 0.46], ['叶', 0.45], ['程', 0.44], ['魏', 0.43], ['苏', 0.42], ['吕', 0.42], ['丁', 0.41],
  ['任', 0.41], ['卢', 0.4], ['姚', 0.39], ['沈', 0.39], ['钟', 0.38], ['姜', 0.38], ['崔', 0.37], ['谭', 0.37],
  ['陆', 0.36], ['范', 0.35], ['汪', 0.35], ['廖', 0.34], ['石', 0.34], ['金', 0.33], ['韦', 0.32], ['贾', 0.32],
  ['夏', 0.31], ['付', 0.31], ['方', 0.3], ['邹', 0.3], ['熊', 0.3], ['白', 0.29], ['孟', 0.29], ['秦', 0.28],
  ['邱', 0.28], ['侯', 0.28], ['江', 0.27], ['尹', 0.27], ['薛', 0.26], ['闫', 0.26], ['段', 0.25], ['雷', 0.25],
  ['龙', 0.24], ['黎', 0.24], ['史', 0.24], ['陶', 0.23], ['贺', 0.23], ['毛', 0.22], ['郝', 0.22], ['顾', 0.21],
  ['龚', 0.21], ['邵', 0.21], ['万', 0.2], ['覃', 0.2], ['武', 0.2], ['钱', 0.19], ['戴', 0.19], ['严', 0.19],
  ['莫', 0.18], ['孔', 0.18], ['向', 0.18], ['常', 0.17], ['汤', 0.17], ['康', 0.17], ['易', 0.16], ['乔', 0.16],
  ['赖', 0.16], ['文', 0.15], ['施', 0.15], ['洪', 0.15], ['辛', 0.14], ['柯', 0.13], ['庄', 0.13], ['牛', 0.13],
  ['葛', 0.12], ['温', 0.12], ['褚', 0.05], ['蓝', 0.05], ['欧阳', 0.09], ['诸葛', 0.01], ['司马', 0.01],
  ['上官', 0.01], ['皇甫', 0.005], ['东方', 0.005],
];

const MALE_CHARS = [...'伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦奇翰朗伯宏鸣朋斌梁栋维启克伦翔旭鹏泽晨辰建家致树德行泰盛雄琛钧冠策腾楠航弘宇轩睿铭'];
const FEMALE_CHARS = [...'秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真雪荣爱霞香月媛艳瑞佳嘉琼勤珍莉桂璐娅琦晶妍茜秋珊莎锦青倩婷婉娴瑾颖露瑶怡雁蓓仪荷丹蓉君琴蕊薇菁梦岚婕馨韵园艺卿澜纯悦昭冰爽茗羽希欣滢筠柔竹凝晓欢芸菲寒伊亚宜可舒影丽阳妮宝晴容睿雯萱彦雨曼紫逸涵诗'];

/** Birth cohorts whose naming fashions differ; index = cohortOf(year). */
function cohortOf(birthYear: number): 0 | 1 | 2 | 3 {
  if (birthYear < 1966) return 0;
  if (birthYear < 1986) return 1;
  if (birthYear < 2000) return 2;
  return 3;
}

// Names typical of each cohort: 建国/秀英 for the 1950s, single characters in the 1970s-80s, 子轩/梓涵 after 2000.
const POPULAR_MALE: readonly (readonly string[])[] = [
  ['建国', '建华', '国强', '建军', '国庆', '卫东', '卫国', '志强', '德明', '永福', '振华', '国华', '建平', '红军', '跃进'],
  ['伟', '磊', '勇', '军', '涛', '斌', '强', '鹏', '杰', '刚', '明', '超', '亮', '健', '海涛', '志刚', '建伟', '晓东'],
  ['浩', '宇', '鑫', '帅', '俊杰', '子豪', '晨', '博', '凯', '鹏飞', '文博', '嘉豪', '家豪', '天宇'],
  ['子轩', '浩宇', '宇轩', '梓豪', '俊熙', '一诺', '浩然', '子墨', '宇航', '奕辰', '沐宸', '梓睿', '皓轩', '铭泽'],
];
const POPULAR_FEMALE: readonly (readonly string[])[] = [
  ['秀英', '桂英', '秀兰', '玉兰', '桂兰', '凤英', '淑珍', '秀珍', '玉梅', '秀荣', '玉珍', '淑兰', '桂芳', '素珍'],
  ['丽', '静', '敏', '燕', '艳', '娟', '霞', '芳', '红', '玲', '丹', '萍', '丽娟', '海燕', '晓燕', '红梅', '春梅'],
  ['婷婷', '雪', '佳', '欣', '倩', '璐', '琳', '丹丹', '晶晶', '思雨', '雨婷', '佳怡', '梦瑶', '欣然'],
  ['欣怡', '梓涵', '诗涵', '紫涵', '语桐', '一诺', '雨涵', '可馨', '梓萱', '若汐', '依诺', '子涵', '思涵', '语嫣'],
];
/** Share of single-character given names by cohort (they peaked with the 1970s-80s cohorts). */
const SINGLE_CHAR_SHARE = [0.15, 0.4, 0.25, 0.08] as const;

const UYGHUR_MALE = ['艾力', '买买提', '阿不都', '吐尔逊', '艾合买提', '努尔', '热合曼', '亚森', '依明', '阿迪力', '艾尔肯', '麦麦提', '阿布拉', '伊力哈木'];
const UYGHUR_FEMALE = ['古丽', '阿依古丽', '热依拉', '迪丽拜尔', '帕提古丽', '努尔古丽', '米娜', '再努尔', '阿依努尔', '布威', '祖丽皮亚'];
const KAZAKH_MALE = ['叶尔兰', '努尔兰', '别克', '哈力木', '阿斯哈尔', '叶尔江', '达吾来提', '马合沙提'];
const KAZAKH_FEMALE = ['阿依达娜', '古丽娜尔', '阿依江', '哈孜拉', '玛依拉', '加娜尔'];
const TIBETAN_MALE = ['扎西', '次仁', '多吉', '顿珠', '平措', '旦增', '格桑', '尼玛', '达瓦', '巴桑', '边巴', '拉巴', '索朗', '普布', '洛桑'];
const TIBETAN_FEMALE = ['卓玛', '央金', '拉姆', '德吉', '曲珍', '白玛', '央宗', '措姆', '尼玛', '次仁', '格桑', '达娃'];
const MONGOLIAN_MALE = ['巴特尔', '额尔敦', '苏和', '宝音', '朝鲁', '那顺', '孟和', '乌力吉', '阿拉坦仓', '毕力格', '巴雅尔'];
const MONGOLIAN_FEMALE = ['其其格', '萨仁', '乌兰', '斯琴', '娜仁', '苏日娜', '图雅', '高娃', '塔娜', '乌日娜'];

const surnameTable = new WeightedTable(SURNAMES);

export function randomSurname(rng: Random): string {
  return rng.weighted(surnameTable);
}

/** Han-style given name for a person of `sex` born in `birthYear`. */
export function randomGivenName(rng: Random, male: boolean, birthYear: number): string {
  const cohort = cohortOf(birthYear);
  if (rng.chance(0.3)) return rng.pick((male ? POPULAR_MALE : POPULAR_FEMALE)[cohort] ?? []);
  const chars = male ? MALE_CHARS : FEMALE_CHARS;
  const first = rng.pick(chars);
  if (rng.chance(SINGLE_CHAR_SHARE[cohort])) return first;
  // Repeated characters (婷婷, 晶晶) are common for girls.
  if (!male && rng.chance(0.06)) return first + first;
  return first + rng.pick(chars);
}

/**
 * Full name given sex, birth year and ethnicity. Most 维吾尔/哈萨克 names are "given·father's given" in transcription,
 * 藏 names have no surname, and many 蒙古 people use Mongolian names; everyone else gets surname + given name.
 * `surname`, when given, is used for Han-style names (children usually take the father's surname).
 */
export function randomName(rng: Random, male: boolean, birthYear: number, ethnicity: string, surname?: string): string {
  switch (ethnicity) {
    case '维吾尔族':
      return `${rng.pick(male ? UYGHUR_MALE : UYGHUR_FEMALE)}·${rng.pick(UYGHUR_MALE)}`;
    case '哈萨克族':
      return `${rng.pick(male ? KAZAKH_MALE : KAZAKH_FEMALE)}·${rng.pick(KAZAKH_MALE)}`;
    case '藏族': {
      const pool = male ? TIBETAN_MALE : TIBETAN_FEMALE;
      const first = rng.pick(pool);
      if (!rng.chance(0.6)) return first;
      const second = rng.pick(pool);
      return second === first ? first : first + second; // no 次仁次仁
    }
    case '蒙古族':
      if (rng.chance(0.4)) return rng.pick(male ? MONGOLIAN_MALE : MONGOLIAN_FEMALE);
      break;
    default:
      break;
  }
  return (surname ?? randomSurname(rng)) + randomGivenName(rng, male, birthYear);
}
