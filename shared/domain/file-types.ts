/**
 * What a file is, from its bytes: PDF, PNG and JPEG by their magic bytes; XLSX
 * and DOCX, both ZIP archives, by the entries of the ZIP's central directory
 * ([Content_Types].xml plus xl/ or word/). Pure: the caller streams the object
 * once through a TypeSniffer (beside the SHA-256), which keeps only a bounded
 * head and tail of it.
 */

export type FileType = 'pdf' | 'png' | 'jpeg' | 'xlsx' | 'docx';

/** PDF readers accept the header within the first 1024 bytes (ISO 32000-1 §7.5.2 note). */
export const HEAD_BYTES = 1024;
/**
 * The central directory of a ZIP sits at its end. An OOXML document's
 * directory is a few KiB; 1 MiB holds tens of thousands of entries. A larger
 * one is not recognised (and the upload is rejected).
 */
export const TAIL_BYTES = 1024 * 1024;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_SIGNATURE = [0xff, 0xd8, 0xff];
const ZIP_LOCAL_HEADER = [0x50, 0x4b, 0x03, 0x04];
const PDF_HEADER = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-

const EOCD_SIGNATURE = 0x06054b50;
const EOCD_LENGTH = 22;
const MAX_ZIP_COMMENT = 0xffff;
const CENTRAL_HEADER_SIGNATURE = 0x02014b50;
const CENTRAL_HEADER_LENGTH = 46;
/** More entries than an office document has; bounds the walk over hostile input. */
const MAX_ZIP_ENTRIES = 100_000;

const startsWith = (bytes: Uint8Array, signature: number[], at = 0) =>
  bytes.length >= at + signature.length && signature.every((byte, i) => bytes[at + i] === byte);

function indexOf(bytes: Uint8Array, signature: number[], limit: number): number {
  const last = Math.min(bytes.length, limit) - signature.length;
  for (let i = 0; i <= last; i++) if (startsWith(bytes, signature, i)) return i;
  return -1;
}

const view = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/**
 * Entry names of a ZIP's central directory, read from the last bytes of the
 * file (`tail`, ending at byte `size`). Undefined when the directory is not
 * (entirely) in the tail, is ZIP64, spans disks or is malformed.
 */
export function zipEntryNames(tail: Uint8Array, size: number): string[] | undefined {
  if (tail.length < EOCD_LENGTH || tail.length > size) return undefined;
  const data = view(tail);
  // The end-of-central-directory record is followed only by its comment.
  const lowest = Math.max(0, tail.length - EOCD_LENGTH - MAX_ZIP_COMMENT);
  let eocd = -1;
  for (let i = tail.length - EOCD_LENGTH; i >= lowest; i--) {
    if (data.getUint32(i, true) === EOCD_SIGNATURE && i + EOCD_LENGTH + data.getUint16(i + 20, true) <= tail.length) {
      eocd = i;
      break;
    }
  }
  if (eocd === -1) return undefined;
  const disk = data.getUint16(eocd + 4, true);
  const directoryDisk = data.getUint16(eocd + 6, true);
  const entriesOnDisk = data.getUint16(eocd + 8, true);
  const entries = data.getUint16(eocd + 10, true);
  const directorySize = data.getUint32(eocd + 12, true);
  const directoryOffset = data.getUint32(eocd + 16, true);
  if (disk !== 0 || directoryDisk !== 0 || entriesOnDisk !== entries) return undefined;
  // 0xFFFF / 0xFFFFFFFF mean "see the ZIP64 record": never needed below 4 GiB and 65535 entries.
  if (entries === 0xffff || directoryOffset === 0xffffffff || directorySize === 0xffffffff) return undefined;
  const tailStart = size - tail.length;
  const start = directoryOffset - tailStart;
  if (start < 0 || start + directorySize > eocd) return undefined;

  const names: string[] = [];
  let at = start;
  for (let n = 0; n < entries && n < MAX_ZIP_ENTRIES; n++) {
    if (at + CENTRAL_HEADER_LENGTH > start + directorySize) return undefined;
    if (data.getUint32(at, true) !== CENTRAL_HEADER_SIGNATURE) return undefined;
    const nameLength = data.getUint16(at + 28, true);
    const extraLength = data.getUint16(at + 30, true);
    const commentLength = data.getUint16(at + 32, true);
    const next = at + CENTRAL_HEADER_LENGTH + nameLength + extraLength + commentLength;
    if (next > start + directorySize) return undefined;
    // Names that matter here are ASCII; latin1 maps bytes one to one and never throws.
    names.push(Buffer.from(tail.buffer, tail.byteOffset + at + CENTRAL_HEADER_LENGTH, nameLength).toString('latin1'));
    at = next;
  }
  return names;
}

/** XLSX or DOCX by the parts an OOXML package must have; anything else is no office type. */
function officeType(names: string[]): FileType | null {
  if (!names.includes('[Content_Types].xml')) return null;
  const word = names.some((name) => name.startsWith('word/'));
  const excel = names.some((name) => name.startsWith('xl/'));
  if (word && !excel) return 'docx';
  if (excel && !word) return 'xlsx';
  return null;
}

/**
 * The type of a file of `size` bytes from its first bytes (`head`, at least
 * HEAD_BYTES unless the file is shorter) and last bytes (`tail`). Null when
 * it is none of the allowed types.
 */
export function detectFileType(head: Uint8Array, tail: Uint8Array, size: number): FileType | null {
  if (startsWith(head, PNG_SIGNATURE)) return 'png';
  if (startsWith(head, JPEG_SIGNATURE)) return 'jpeg';
  if (startsWith(head, ZIP_LOCAL_HEADER)) {
    const names = zipEntryNames(tail, size);
    return names ? officeType(names) : null;
  }
  if (indexOf(head, PDF_HEADER, HEAD_BYTES) !== -1) return 'pdf';
  return null;
}

/**
 * Collects the head and a bounded tail of a byte stream pushed in chunks, so
 * the type is known after one pass (memory: HEAD_BYTES + TAIL_BYTES + one chunk).
 */
export class TypeSniffer {
  private head = Buffer.alloc(0);
  private tailChunks: Buffer[] = [];
  private tailLength = 0;
  size = 0;

  push(chunk: Uint8Array): void {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (bytes.length === 0) return;
    this.size += bytes.length;
    if (this.head.length < HEAD_BYTES) {
      this.head = Buffer.concat([this.head, bytes.subarray(0, HEAD_BYTES - this.head.length)]);
    }
    this.tailChunks.push(bytes);
    this.tailLength += bytes.length;
    // Drop whole chunks that lie entirely before the last TAIL_BYTES.
    while (this.tailChunks.length > 1 && this.tailLength - this.tailChunks[0]!.length >= TAIL_BYTES) {
      this.tailLength -= this.tailChunks.shift()!.length;
    }
  }

  detect(): FileType | null {
    const tail = Buffer.concat(this.tailChunks, this.tailLength);
    return detectFileType(this.head, tail.subarray(Math.max(0, tail.length - TAIL_BYTES)), this.size);
  }
}
