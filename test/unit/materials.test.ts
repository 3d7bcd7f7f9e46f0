import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createdObjects } from '../../shared/aws/s3-events.ts';
import { detectFileType, HEAD_BYTES, TAIL_BYTES, TypeSniffer, zipEntryNames } from '../../shared/domain/file-types.ts';
import {
  acceptsMaterials,
  extensionFits,
  isValidFileName,
  judgeUpload,
  materialTypeOf,
  normalizeFileName,
  parseUploadKey,
  uploadAbandoned,
  uploadKey,
  verifiedKey,
} from '../../shared/domain/materials.ts';
import { attachmentDisposition, encodeExtValue } from '../../shared/http/content-disposition.ts';
import { hasMessage, translate } from '../../shared/i18n/messages.ts';
import { CreateMaterialBody } from '../../shared/schemas/materials.ts';
import { fieldIssues } from '../../shared/http/validation.ts';
import { docxBytes, jpegBytes, pdfBytes, pngBytes, sha256Hex, xlsxBytes, zipOf } from '../support/files.ts';

/** Detection as the verification does it: the whole file pushed through a sniffer in chunks. */
function sniff(bytes: Uint8Array, chunk = 7919) {
  const sniffer = new TypeSniffer();
  for (let at = 0; at < bytes.length; at += chunk) sniffer.push(bytes.subarray(at, at + chunk));
  return sniffer.detect();
}

const PDF = 'application/pdf';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe('file types from magic bytes', () => {
  it('recognises PDF, PNG and JPEG by their headers', () => {
    expect(sniff(pdfBytes())).toBe('pdf');
    expect(sniff(pngBytes())).toBe('png');
    expect(sniff(jpegBytes())).toBe('jpeg');
  });

  it('accepts a PDF header after leading bytes within the first 1024, not later', () => {
    const pdf = pdfBytes();
    expect(sniff(Buffer.concat([Buffer.alloc(100, 0x20), pdf]))).toBe('pdf');
    expect(sniff(Buffer.concat([Buffer.alloc(HEAD_BYTES, 0x20), pdf]))).toBeNull();
  });

  it('tells XLSX (written by exceljs) from DOCX by their ZIP entries', async () => {
    expect(sniff(await xlsxBytes())).toBe('xlsx');
    expect(sniff(docxBytes())).toBe('docx');
    expect(zipEntryNames(docxBytes(), docxBytes().length)).toEqual(['[Content_Types].xml', '_rels/.rels', 'word/document.xml']);
  });

  it('rejects archives that are not office documents', () => {
    expect(sniff(zipOf({ 'word/document.xml': '<x/>' }))).toBeNull(); // no [Content_Types].xml
    expect(sniff(zipOf({ '[Content_Types].xml': '<x/>', 'word/a.xml': '', 'xl/b.xml': '' }))).toBeNull(); // both
    expect(sniff(zipOf({ '[Content_Types].xml': '<x/>', 'ppt/presentation.xml': '' }))).toBeNull(); // PPTX
    expect(sniff(zipOf({ 'evil.exe': 'MZ' }))).toBeNull();
  });

  it('reads the central directory behind a ZIP comment', () => {
    expect(sniff(zipOf({ '[Content_Types].xml': '<x/>', 'xl/workbook.xml': '' }, { comment: '注释'.repeat(100) }))).toBe('xlsx');
  });

  it('gives up on a central directory outside the bounded tail instead of reading more', () => {
    // Stored entries: 2 MiB of data, then a directory that is entirely within the tail.
    const big = zipOf({ 'xl/media/a.bin': Buffer.alloc(2 * TAIL_BYTES), '[Content_Types].xml': '<x/>', 'xl/workbook.xml': '' });
    expect(sniff(big)).toBe('xlsx');
    // A directory pointing before the tail cannot be read from it.
    const tail = big.subarray(big.length - 100);
    expect(zipEntryNames(tail, big.length)).toBeUndefined();
  });

  it('rejects a truncated or corrupted archive', () => {
    const docx = docxBytes();
    expect(sniff(docx.subarray(0, docx.length - 30))).toBeNull();
    const corrupted = Buffer.from(docx);
    corrupted.writeUInt32LE(0xffffffff, corrupted.length - 6); // directory offset
    expect(sniff(corrupted)).toBeNull();
  });

  it('never throws and does not depend on how the stream is chunked', () => {
    const files = [pdfBytes(300), pngBytes(), jpegBytes(), docxBytes()];
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.integer({ min: 1, max: 97 }), fc.constantFrom(...files), (noise, chunk, file) => {
        expect(() => sniff(noise, chunk)).not.toThrow();
        expect(sniff(file, chunk)).toBe(sniff(file, file.length));
        // ZIP signature followed by noise: never an office type by accident.
        const fake = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), noise]);
        expect(['xlsx', 'docx']).not.toContain(detectFileType(fake, fake, fake.length));
      }),
      { numRuns: 300 },
    );
  });
});

describe('judging an upload against what was declared', () => {
  const pdf = pdfBytes(1000);
  const declared = { size: pdf.length, contentType: PDF, sha256: sha256Hex(pdf) };

  it('accepts the declared file', () => {
    expect(judgeUpload(declared, { size: pdf.length, sha256: sha256Hex(pdf), type: 'pdf' })).toBeUndefined();
  });

  it('checks size first, then type, then SHA-256', () => {
    expect(judgeUpload(declared, { size: 1, sha256: 'x', type: null })).toEqual({
      code: 'size_mismatch',
      params: { declared: pdf.length, actual: 1 },
    });
    expect(judgeUpload(declared, { size: pdf.length, sha256: 'x', type: 'png' })).toEqual({
      code: 'type_mismatch',
      params: { declared: 'PDF', detected: 'PNG' },
    });
    expect(judgeUpload(declared, { size: pdf.length, sha256: 'x', type: null })).toEqual({
      code: 'type_unrecognized',
      params: { declared: 'PDF' },
    });
    expect(judgeUpload(declared, { size: pdf.length, sha256: '0'.repeat(64), type: 'pdf' })).toEqual({ code: 'sha256_mismatch' });
  });

  it('has a message in both languages for every reason, with every placeholder filled', () => {
    const reasons = [
      judgeUpload(declared, { size: 1, sha256: 'x', type: null })!,
      judgeUpload(declared, { size: pdf.length, sha256: 'x', type: 'docx' })!,
      judgeUpload(declared, { size: pdf.length, sha256: 'x', type: null })!,
      judgeUpload(declared, { size: pdf.length, sha256: 'x', type: 'pdf' })!,
      { code: 'upload_expired' as const },
    ];
    for (const reason of reasons) {
      expect(hasMessage(`material_reason.${reason.code}`), reason.code).toBe(true);
      for (const language of ['zh', 'en'] as const) {
        expect(translate(`material_reason.${reason.code}`, language, reason.params)).not.toMatch(/\{\w+\}/);
      }
    }
  });
});

describe('material rules', () => {
  it('never uses the file name in a key, and parses only its own keys', () => {
    expect(uploadKey('01J0DECL', '01J0MAT')).toBe('uploads/01J0DECL/01J0MAT');
    expect(verifiedKey('01J0DECL', '01J0MAT')).toBe('verified/01J0DECL/01J0MAT');
    expect(parseUploadKey('uploads/01J0DECL/01J0MAT')).toEqual({ declarationId: '01J0DECL', materialId: '01J0MAT' });
    for (const key of ['verified/A/B', 'uploads/A', 'uploads/A/B/C', 'uploads/../B', 'uploads/A/B.pdf', 'uploads//B']) {
      expect(parseUploadKey(key), key).toBeUndefined();
    }
    expect(() => uploadKey('../x', 'y')).toThrow();
  });

  it('accepts names in any script and refuses paths and control characters', () => {
    for (const name of ['检测报告.pdf', 'Test report (2024) v2.docx', 'résumé.PDF', '.pdf']) expect(isValidFileName(name), name).toBe(true);
    for (const name of ['../../etc/passwd', 'a/b.pdf', 'C:\\x.pdf', 'a\u0000.pdf', 'cod\u202Eexe.pdf', '..', 'a|b.pdf', 'a?.pdf']) {
      expect(isValidFileName(name), JSON.stringify(name)).toBe(false);
    }
    // macOS sends decomposed names: stored composed.
    expect(normalizeFileName(' re\u0301sume\u0301.pdf ')).toBe('résumé.pdf');
  });

  it('wants the extension of the declared type', () => {
    expect(extensionFits('检测报告.PDF', materialTypeOf(PDF)!)).toBe(true);
    expect(extensionFits('photo.jpeg', materialTypeOf('image/jpeg')!)).toBe(true);
    expect(extensionFits('photo.jpg', materialTypeOf('image/jpeg')!)).toBe(true);
    expect(extensionFits('report.exe', materialTypeOf(PDF)!)).toBe(false);
    expect(extensionFits('pdf', materialTypeOf(PDF)!)).toBe(false);
    expect(extensionFits('sheet.xlsx', materialTypeOf(DOCX)!)).toBe(false);
  });

  it('takes materials for the latest revision before a final decision only', () => {
    expect(acceptsMaterials({ status: 'compared', latest: true })).toBe(true);
    expect(acceptsMaterials({ status: 'province_recommended', latest: true })).toBe(true);
    expect(acceptsMaterials({ status: 'compared', latest: false })).toBe(false);
    expect(acceptsMaterials({ status: 'accepted', latest: true })).toBe(false);
    expect(acceptsMaterials({ status: 'returned', latest: true })).toBe(false);
  });

  it('counts an upload as abandoned an hour after its window', () => {
    const window = '2024-05-01T10:00:00.000Z';
    expect(uploadAbandoned(window, new Date('2024-05-01T10:59:59Z'))).toBe(false);
    expect(uploadAbandoned(window, new Date('2024-05-01T11:00:01Z'))).toBe(true);
  });
});

describe('the upload request body', () => {
  const valid = { fileName: '检测报告.pdf', contentType: PDF, size: 1000, sha256: 'a'.repeat(64) };
  const issues = (body: unknown) => {
    const result = CreateMaterialBody.safeParse(body);
    return result.success ? [] : fieldIssues(result.error, body).map((i) => ({ path: i.path.join('.'), code: i.code }));
  };

  it('accepts the contract example', () => {
    expect(issues(valid)).toEqual([]);
  });

  it('names the offending field with a stable code', () => {
    expect(issues({ ...valid, fileName: '../../etc/passwd' })).toEqual([{ path: 'fileName', code: 'invalid_file_name' }]);
    expect(issues({ ...valid, fileName: 'report.exe' })).toEqual([{ path: 'fileName', code: 'file_extension_mismatch' }]);
    expect(issues({ ...valid, fileName: '   ' })).toEqual([{ path: 'fileName', code: 'too_small' }]);
    expect(issues({ ...valid, fileName: undefined })).toEqual([{ path: 'fileName', code: 'required' }]);
    expect(issues({ ...valid, contentType: undefined, sha256: 1 })).toEqual([
      { path: 'contentType', code: 'invalid_value' },
      { path: 'sha256', code: 'invalid_type' },
    ]);
    expect(issues({ ...valid, size: 20 * 1024 * 1024 + 1 })).toEqual([{ path: 'size', code: 'too_big' }]);
    expect(issues({ ...valid, size: 0 })).toEqual([{ path: 'size', code: 'too_small' }]);
    expect(issues({ ...valid, size: 1.5 })).toEqual([{ path: 'size', code: 'invalid_type' }]);
    expect(issues({ ...valid, sha256: 'A'.repeat(64) })).toEqual([{ path: 'sha256', code: 'invalid_sha256' }]);
    expect(issues({ ...valid, contentType: 'application/x-msdownload' })).toEqual([{ path: 'contentType', code: 'invalid_value' }]);
    expect(issues({ ...valid, extra: 1 })).toEqual([{ path: '', code: 'unrecognized_keys' }]);
    expect(issues({ ...valid, contentType: XLSX, fileName: '表.xlsx' })).toEqual([]);
  });

  it('has zh and en texts for its codes', () => {
    for (const code of ['invalid_file_name', 'file_extension_mismatch', 'invalid_sha256', 'detail.material_limit', 'detail.declaration_closed']) {
      expect(hasMessage(code), code).toBe(true);
    }
  });
});

describe('Content-Disposition for downloads (RFC 6266, RFC 8187)', () => {
  it('carries a Chinese name in filename* and an ASCII fallback', () => {
    const header = attachmentDisposition('检测报告.pdf');
    expect(header).toBe(`attachment; filename="____.pdf"; filename*=UTF-8''%E6%A3%80%E6%B5%8B%E6%8A%A5%E5%91%8A.pdf`);
    const encoded = /filename\*=UTF-8''(.+)$/.exec(header)![1]!;
    expect(decodeURIComponent(encoded)).toBe('检测报告.pdf');
  });

  it('encodes every character outside attr-char, quotes the fallback', () => {
    expect(encodeExtValue("a b'(1)*;.pdf")).toBe('a%20b%27%281%29%2A%3B.pdf');
    expect(attachmentDisposition('Report "final".pdf')).toContain('filename="Report \\"final\\".pdf"');
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }), (name) => {
        const header = attachmentDisposition(name);
        expect(header).toMatch(/^[\x20-\x7e]+$/); // a valid header value
        expect(decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(header)![1]!)).toBe(name);
      }),
    );
  });
});

describe('object-created events', () => {
  it('reads S3 notification records (URL-encoded keys)', () => {
    const event = {
      Records: [
        { eventName: 'ObjectCreated:Post', s3: { bucket: { name: 'b' }, object: { key: 'uploads/A/B+c%2B', size: 5, versionId: 'v1' } } },
        { eventName: 'ObjectRemoved:Delete', s3: { bucket: { name: 'b' }, object: { key: 'x' } } },
      ],
    };
    expect(createdObjects(event)).toEqual([{ bucket: 'b', key: 'uploads/A/B c+', size: 5, versionId: 'v1' }]);
  });

  it('reads EventBridge Object Created events', () => {
    const event = {
      source: 'aws.s3',
      'detail-type': 'Object Created',
      detail: { bucket: { name: 'b' }, object: { key: 'uploads/A/B', size: 9, etag: 'e', 'version-id': 'v2' }, reason: 'PostObject' },
    };
    expect(createdObjects(event)).toEqual([{ bucket: 'b', key: 'uploads/A/B', size: 9, versionId: 'v2' }]);
    expect(() => createdObjects({ source: 'aws.ec2' })).toThrow();
  });
});
