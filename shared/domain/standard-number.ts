/**
 * Standard numbers: one normal form per standard so that every spelling finds the
 * same record (NFKC, dashes as '-', one space between prefix and number, ':' kept).
 * Chinese, ISO, IEC, EN, ASTM and JIS numbers are validated by pattern; numbers of
 * other bodies and of regulations are free text.
 */
import { provinceCodes } from './division-code.ts';

export type StandardFamily = 'chinese' | 'iso' | 'iec' | 'en' | 'astm' | 'jis' | 'other';

export type StandardNumberResult =
  | { ok: true; number: string; family: StandardFamily }
  | { ok: false; code: 'invalid_standard_number' };

export type AdoptionDegree = 'IDT' | 'MOD' | 'NEQ' | 'EQV';

const INVALID = { ok: false, code: 'invalid_standard_number' } as const;

// Hyphen, non-breaking hyphen, figure dash, en dash, em dash, horizontal bar, minus sign,
// small em dash, small hyphen-minus (NFKC leaves these apart from the full-width one).
const DASHES = /[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/g;

/**
 * Chinese industry standard codes (行业标准代号). Listed explicitly because two capital
 * letters alone would also catch foreign prefixes such as EN, EU, UL or BS.
 */
const INDUSTRY_CODES = new Set(
  (
    'BB CB CH CJ CY DA DB DL DZ EJ FZ GA GH GM GY HB HG HJ HS HY JB JC JG JR JT JY LB LD ' +
    'LS LY MH MT MZ NB NY QB QC QJ QX RB SB SC SF SH SJ SL SN SW SY TB TD TY WB WH WJ WM ' +
    'WS WW XB XF YB YC YD YJ YS YY YZ ZY'
  ).split(' '),
);
const PROVINCES = new Set(provinceCodes);

// Sequence number (parts separated by '.'), optional year of 4 or (pre-2000) 2 digits.
const CN_NUMBER = /^(\d+(?:\.\d+)*)(?:-(\d{4}|\d{2}))?$/;

// Amendments and corrigenda: '+A1:2021', '+AMD1:2013', '/Amd 1:2024', '/Cor 1:2019'.
const AMENDMENTS = String.raw`(?:(?:\+|/)(?:A|AMD|Amd|COR|Cor|AC)\s?\d+:\d{4})*`;
const ISO_NUMBER = new RegExp(String.raw`^\d+(?:-\d+)*(?::\d{4}${AMENDMENTS})?$`);
const ISO_PREFIX =
  /^(ISO|IEC)((?:\/(?:ISO|IEC|IEEE|ASTM|SAE|CIE))*)(?:\s*\/\s*|\s+)?(TS|TR|PAS|DIS|FDIS|GUIDE)?(?=$|[\s\d])/i;
const EN_NUMBER = new RegExp(
  String.raw`^(?:(ISO(?:/IEC)?|IEC)\s*)?(\d+(?:-\d+)*(?::\d{4}${AMENDMENTS})?)$`,
  'i',
);
// ASTM: category letter A-G, number, optional metric twin (A36/A36M), year with
// revision letter, editorial change and reapproval year: 'E84-21a', 'D412-16(2021)'.
const ASTM_NUMBER =
  /^([A-G])\s*(\d+(?:\.\d+)?)(\s*\/\s*[A-G]\s*\d+(?:\.\d+)?M)?(?:-(\d{2}[a-z]?(?:e\d)?(?:\(\d{4}\))?))?$/i;
// JIS: division letter, 4 or 5 digit number (5 for IEC-based ones), parts, year.
const JIS_NUMBER = /^([A-Z])\s*(\d{4,5}(?:-\d+)*)(?::(\d{4}))?$/i;

/** NFKC, dashes to '-', whitespace collapsed and trimmed. */
function prepare(raw: string): string {
  return raw
    .normalize('NFKC')
    .replace(DASHES, '-')
    .replace(/\s+/gu, ' ')
    .trim();
}

/** No spaces around '-', ':', '.' and '+' inside a number. */
function tighten(rest: string): string {
  return rest.replace(/\s*([-:.+])\s*/g, '$1').trim();
}

function chinese(prefix: string, rest: string): StandardNumberResult {
  const number = tighten(rest);
  if (!CN_NUMBER.test(number)) return INVALID;
  return { ok: true, number: `${prefix} ${number}`, family: 'chinese' };
}

function normalizeChinese(s: string): StandardNumberResult | null {
  // National: GB, GB/T, GB/Z, GBZ (occupational health), GBZ/T; the common
  // spelling 'GBT' without the slash is read as GB/T.
  let m = /^(GBZ?)(?:\s*\/?\s*([TZ]))?(?=$|[\s\d])\s*(.*)$/i.exec(s);
  if (m) {
    const prefix = (m[1] as string).toUpperCase() + (m[2] ? `/${m[2].toUpperCase()}` : '');
    return chinese(prefix, m[3] as string);
  }
  // Local: DB + province (+ city) code, e.g. DB33/T, DB3301/T.
  m = /^DB\s*(\d{2})(\d{2})?(?:\s*\/\s*([TZ]))?(?=$|[\s\d])\s*(.*)$/i.exec(s);
  if (m) {
    if (!PROVINCES.has(m[1] as string)) return INVALID;
    const prefix = `DB${m[1]}${m[2] ?? ''}${m[3] ? `/${m[3].toUpperCase()}` : ''}`;
    return chinese(prefix, m[4] as string);
  }
  // Industry: QB/T, JB/T, ... ; any two letters with /T or /Z are Chinese.
  m = /^([A-Z]{2})(?:\s*\/\s*([TZ]))?(?=$|[\s\d])\s*(.*)$/i.exec(s);
  if (m) {
    const code = (m[1] as string).toUpperCase();
    if (m[2] || INDUSTRY_CODES.has(code)) {
      return chinese(code + (m[2] ? `/${m[2].toUpperCase()}` : ''), m[3] as string);
    }
    return null;
  }
  // Group: T/<organisation code> <number>-<year>.
  m = /^T\s*\/\s*(.*)$/i.exec(s);
  if (m) {
    const g = /^([A-Z][A-Z0-9]*?)\s*(\d+(?:\.\d+)*(?:\s*-\s*\d{2,4})?)$/i.exec(m[1] as string);
    if (!g) return INVALID;
    return chinese(`T/${(g[1] as string).toUpperCase()}`, g[2] as string);
  }
  // Enterprise: Q/<enterprise code> <number>; enterprise codes vary too much for a
  // tighter pattern (Q/GDW 1168-2013, Q/320581 JTB 001-2019, Q/HDBYJ0001S-2018).
  m = /^Q\s*\/\s*(.*)$/i.exec(s);
  if (m) {
    const rest = tighten(m[1] as string).toUpperCase();
    if (!/^[A-Z0-9][A-Z0-9 ./-]*$/.test(rest) || !/\d/.test(rest)) return INVALID;
    return { ok: true, number: `Q/${rest}`, family: 'chinese' };
  }
  return null;
}

function normalizeForeign(s: string): StandardNumberResult | null {
  let m = ISO_PREFIX.exec(s);
  if (m) {
    const body = (m[1] as string).toUpperCase();
    const copublishers = (m[2] as string).toUpperCase();
    const type = m[3]?.toUpperCase();
    const number = tighten(s.slice(m[0].length));
    if (!ISO_NUMBER.test(number)) return INVALID;
    // Official forms: 'ISO/TR 10013', but 'ISO/IEC TR 29110' with a co-publisher.
    let prefix = body + copublishers;
    if (type) prefix += (copublishers ? ' ' : '/') + (type === 'GUIDE' ? 'Guide' : type);
    return { ok: true, number: `${prefix} ${number}`, family: body === 'ISO' ? 'iso' : 'iec' };
  }
  m = /^EN(?=$|[\s\d])\s*(.*)$/i.exec(s);
  if (m) {
    const e = EN_NUMBER.exec(tighten(m[1] as string));
    if (!e) return INVALID;
    const adopted = e[1] ? `${e[1].toUpperCase()} ` : '';
    return { ok: true, number: `EN ${adopted}${e[2]}`, family: 'en' };
  }
  m = /^ASTM(?=$|[\s\dA-G])\s*(.*)$/i.exec(s);
  if (m) {
    const a = ASTM_NUMBER.exec(tighten(m[1] as string));
    if (!a) return INVALID;
    const twin = a[3] ? `/${a[3].replace(/[\s/]/g, '').toUpperCase()}` : '';
    const year = a[4] ? `-${a[4]}` : '';
    return {
      ok: true,
      number: `ASTM ${(a[1] as string).toUpperCase()}${a[2]}${twin}${year}`,
      family: 'astm',
    };
  }
  m = /^JIS(?=$|[\sA-Z])\s*(.*)$/i.exec(s);
  if (m) {
    const j = JIS_NUMBER.exec(tighten(m[1] as string));
    if (!j) return INVALID;
    const year = j[3] ? `:${j[3]}` : '';
    return {
      ok: true,
      number: `JIS ${(j[1] as string).toUpperCase()} ${j[2]}${year}`,
      family: 'jis',
    };
  }
  return null;
}

export function normalizeStandardNumber(raw: string): StandardNumberResult {
  const s = prepare(raw);
  if (s === '') return INVALID;
  const result = normalizeChinese(s) ?? normalizeForeign(s);
  if (result) return result;
  return { ok: true, number: s, family: 'other' };
}

/** IDT and MOD (EQV, pre-2000, counts as MOD) are adoptions of an international standard; NEQ is not. */
export function adoptionCounts(degree: AdoptionDegree): boolean {
  return degree !== 'NEQ';
}

export function normalizeAdoptionDegree(degree: AdoptionDegree): 'IDT' | 'MOD' | 'NEQ' {
  return degree === 'EQV' ? 'MOD' : degree;
}
