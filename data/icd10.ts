// ICD-10 chapters (as used by Chinese hospitals' front sheets, GB/T 14396), with visit shares and clinical departments.

export interface IcdChapter {
  /** code block of the chapter, e.g. J00-J99 */
  readonly code: string;
  readonly name: string;
  /** share (%) of outpatient diagnoses for adults 15-59 */
  readonly adultShare: number;
  /** multiplier of adultShare for children (1-14) and for people 60+ */
  readonly childFactor: number;
  readonly elderFactor: number;
  /** department for an adult's visit */
  readonly department: string;
  /** relative likelihood that a visit for this chapter is an admission rather than an outpatient visit */
  readonly admissionFactor: number;
}

const c = (
  code: string, name: string, adultShare: number, childFactor: number, elderFactor: number, department: string, admissionFactor = 1,
): IcdChapter => ({ code, name, adultShare, childFactor, elderFactor, department, admissionFactor });

export const ICD10_CHAPTERS: readonly IcdChapter[] = [
  c('A00-B99', '某些传染病和寄生虫病', 2, 1.5, 0.8, '感染科'),
  c('C00-D48', '肿瘤', 3, 0.1, 3, '肿瘤科', 4),
  c('D50-D89', '血液及造血器官疾病和涉及免疫机制的某些疾患', 0.7, 1, 1.5, '血液科'),
  c('E00-E90', '内分泌、营养和代谢疾病', 6, 0.2, 2, '内分泌科'),
  c('F00-F99', '精神和行为障碍', 2, 0.5, 0.8, '精神科'),
  c('G00-G99', '神经系统疾病', 3, 0.6, 1.8, '神经内科'),
  c('H00-H59', '眼和附器疾病', 4, 1.2, 1.5, '眼科', 0.5),
  c('H60-H95', '耳和乳突疾病', 1.5, 1.5, 1.2, '耳鼻咽喉科', 0.5),
  c('I00-I99', '循环系统疾病', 10, 0.05, 3, '心血管内科', 2),
  c('J00-J99', '呼吸系统疾病', 20, 2.5, 1, '呼吸内科'),
  c('K00-K93', '消化系统疾病', 10, 0.8, 1.2, '消化内科'),
  c('L00-L99', '皮肤和皮下组织疾病', 4, 1, 0.7, '皮肤科', 0.2),
  c('M00-M99', '肌肉骨骼系统和结缔组织疾病', 8, 0.3, 1.5, '骨科'),
  c('N00-N99', '泌尿生殖系统疾病', 5, 0.3, 1.2, '泌尿外科'),
  c('O00-O99', '妊娠、分娩和产褥期', 4, 0, 0, '产科', 5),
  c('P00-P96', '起源于围生期的某些情况', 0, 0, 0, '新生儿科', 4),
  c('Q00-Q99', '先天性畸形、变形和染色体异常', 0.3, 3, 0.2, '儿科', 2),
  c('R00-R99', '症状、体征和临床与实验室异常所见，不可归类在他处者', 6, 1, 1, '全科医学科', 0.5),
  c('S00-T98', '损伤、中毒和外因的某些其他后果', 5, 1.2, 1, '骨科', 1.5),
  c('Z00-Z99', '影响健康状态和与保健机构接触的因素', 6, 1.5, 1, '体检中心', 0.1),
];
