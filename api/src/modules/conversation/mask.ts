/**
 * Public reviews name the customer only the way Chinese marketplaces do: the place and the legal
 * form stay, the distinctive part of the name is hidden ("苏州恒锐精密机械有限公司" →
 * "苏州****有限公司"). Names too short to hide anything become "某企业".
 */
const LEGAL_FORMS = [
  '股份有限公司',
  '有限责任公司',
  '有限公司',
  '集团公司',
  '研究院',
  '研究所',
  '合作社',
  '事务所',
  '公司',
  '集团',
  '工厂',
  '中心',
  '厂',
  '店',
];

const PREFIX_CHARS = 2;
export const ANONYMOUS_ENTERPRISE = '某企业';

export function maskOrganisationName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return ANONYMOUS_ENTERPRISE;
  const joined = chars.join('');
  const form = LEGAL_FORMS.find((f) => joined.endsWith(f)) ?? '';
  const formChars = [...form].length;
  // Something must remain hidden: at least two characters between the prefix and the legal form.
  if (chars.length - PREFIX_CHARS - formChars < 2) return ANONYMOUS_ENTERPRISE;
  // A Latin-script name keeps only its first letter, not a readable word.
  const latin = /^[A-Za-z]/.test(joined);
  const prefix = chars.slice(0, latin ? 1 : PREFIX_CHARS).join('');
  return `${prefix}****${form}`;
}
