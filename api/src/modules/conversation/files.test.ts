import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contentDisposition, contentMatches, declaredTypeFits, sanitiseFileName, typeFromFileName } from './files.ts';
import { ANONYMOUS_ENTERPRISE, maskOrganisationName } from './mask.ts';

const buf = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));
const never = () => Promise.reject(new Error('not needed'));

describe('attachment types', () => {
  it('take the type from the extension, case-insensitively', () => {
    expect(typeFromFileName('检测报告.PDF')).toBe('pdf');
    expect(typeFromFileName('photo.jpeg')).toBe('jpeg');
    expect(typeFromFileName('data.csv')).toBe('csv');
    expect(typeFromFileName('setup.exe')).toBeNull();
    expect(typeFromFileName('noext')).toBeNull();
  });

  it('accept a generic or fitting declared type, not a contradicting one', () => {
    expect(declaredTypeFits('pdf', 'application/pdf')).toBe(true);
    expect(declaredTypeFits('pdf', 'application/octet-stream')).toBe(true);
    expect(declaredTypeFits('csv', 'application/vnd.ms-excel')).toBe(true);
    expect(declaredTypeFits('pdf', 'application/x-msdownload')).toBe(false);
    expect(declaredTypeFits('png', 'image/jpeg')).toBe(false);
  });

  it('check the content against the claimed type', async () => {
    expect(await contentMatches('pdf', buf('%PDF-1.7\n'), never)).toBe(true);
    expect(await contentMatches('pdf', buf('MZ', [0x90, 0, 3, 0]), never)).toBe(false);
    expect(await contentMatches('png', buf([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), never)).toBe(true);
    expect(await contentMatches('jpeg', buf([0xff, 0xd8, 0xff, 0xe0]), never)).toBe(true);
    expect(await contentMatches('webp', buf('RIFF', [1, 2, 3, 4], 'WEBPVP8 '), never)).toBe(true);
    expect(await contentMatches('csv', Buffer.from('样品,结果\r\n镀锌钢板,合格\r\n'), never)).toBe(true);
    expect(await contentMatches('txt', buf('hello', [0], 'world'), never)).toBe(false);
    expect(await contentMatches('txt', buf('%PDF-1.4 not text'), never)).toBe(false);
    const docx = buf('PK', [3, 4], '[Content_Types].xml ... word/document.xml');
    expect(await contentMatches('docx', docx.subarray(0, 4), () => Promise.resolve(docx))).toBe(true);
    expect(await contentMatches('xlsx', docx.subarray(0, 4), () => Promise.resolve(docx))).toBe(false);
  });
});

describe('file names', () => {
  it('drop folders, control and reserved characters, keep Chinese and the extension', () => {
    expect(sanitiseFileName('C:\\Users\\a\\盐雾 试验\t报告.pdf', 'pdf')).toBe('盐雾 试验报告.pdf');
    expect(sanitiseFileName('../../etc/passwd.txt', 'txt')).toBe('passwd.txt');
    expect(sanitiseFileName('...', 'png')).toBe('attachment.png');
    const long = `${'长'.repeat(300)}.docx`;
    const out = sanitiseFileName(long, 'docx');
    expect([...out].length).toBe(150);
    expect(out.endsWith('.docx')).toBe(true);
  });

  it('never yield a path separator or a leading dot', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (raw) => {
        const name = sanitiseFileName(`${raw}.pdf`, 'pdf');
        expect(name).not.toMatch(/[\\/]/);
        expect(name.startsWith('.')).toBe(false);
        expect(name.length).toBeGreaterThan(0);
      }),
    );
  });

  it('are sent with an ASCII fallback and the exact UTF-8 name', () => {
    expect(contentDisposition('盐雾报告 (1).pdf')).toBe(
      `attachment; filename="____ (1).pdf"; filename*=UTF-8''%E7%9B%90%E9%9B%BE%E6%8A%A5%E5%91%8A%20%281%29.pdf`,
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (name) => {
        const header = contentDisposition(name);
        expect(header).toMatch(/^[\x20-\x7e]+$/);
        const encoded = header.split("filename*=UTF-8''")[1]!;
        expect(decodeURIComponent(encoded)).toBe(name);
      }),
    );
  });
});

describe('masked customer names', () => {
  it('keep the place and the legal form', () => {
    expect(maskOrganisationName('苏州恒锐精密机械有限公司')).toBe('苏州****有限公司');
    expect(maskOrganisationName('无锡澄锐新材料科技股份有限公司')).toBe('无锡****股份有限公司');
    expect(maskOrganisationName('宁波甬达汽车零部件厂')).toBe('宁波****厂');
    expect(maskOrganisationName('Acme Widgets Ltd')).toBe('A****');
  });

  it('say 某企业 when nothing would stay hidden', () => {
    expect(maskOrganisationName('某某公司')).toBe(ANONYMOUS_ENTERPRISE);
    expect(maskOrganisationName('')).toBe(ANONYMOUS_ENTERPRISE);
  });

  it('never contain the distinctive middle of the name', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 3, maxLength: 8, unit: fc.constantFrom(...'恒锐精密机械澄新材料') }),
        (middle) => {
          const masked = maskOrganisationName(`苏州${middle}有限公司`);
          expect(masked).not.toContain(middle);
        },
      ),
    );
  });
});
