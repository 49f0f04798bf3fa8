// maskName: a personal name down to its surname.

/** Two-character surnames (复姓) still in use; a name starting with one keeps both characters. */
const COMPOUND_SURNAMES = new Set([
  '欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '长孙', '宇文', '司徒', '夏侯', '令狐',
  '轩辕', '端木', '西门', '南宫', '独孤', '申屠', '闻人', '澹台', '公冶', '宗政', '濮阳', '太叔', '钟离', '呼延',
  '万俟', '赫连', '司空', '第五', '拓跋', '百里', '东郭', '南门', '羊舌', '微生', '梁丘', '左丘', '东门', '鲜于',
]);

/** First characters of the compound surnames: only names starting with one need the two-character lookup. */
const COMPOUND_FIRST = new Set([...COMPOUND_SURNAMES].map((s) => s.charCodeAt(0)));
/** `X*` per surname character, built once: most names share a few hundred surnames. */
const MASKED_BY_SURNAME = new Map<number, string>();

/**
 * Keeps the surname and replaces the given name by a single `*`, hiding its length: `张三丰` → `张*`,
 * `欧阳修` → `欧阳*`. Names written with a middle dot (维吾尔, 哈萨克 ... `买买提·艾力`) have no Han surname: only the
 * first character is kept. A single-character name (or an empty one) becomes `*`.
 */
export function maskName(name: string): string {
  const cp = name.codePointAt(0);
  if (cp === undefined) return '*';
  const first = cp > 0xffff ? 2 : 1;
  if (name.length <= first) return '*';
  if (name.length >= 3 && COMPOUND_FIRST.has(cp) && COMPOUND_SURNAMES.has(name.slice(0, 2))) return `${name.slice(0, 2)}*`;
  if (first === 2) return `${name.slice(0, 2)}*`;
  let masked = MASKED_BY_SURNAME.get(cp);
  if (masked === undefined) {
    masked = `${name.charAt(0)}*`;
    if (MASKED_BY_SURNAME.size < 65_536) MASKED_BY_SURNAME.set(cp, masked);
  }
  return masked;
}
