/**
 * Materials: files attached to an owner, either a declaration (申报材料, from
 * the enterprise and the bureaus over it) or a notice (通知附件, from the
 * bureau that writes it). The rules here are pure: allowed types and limits,
 * what a file name may be, where objects live in the bucket, and whether an
 * upload is what was declared. The bytes never pass through the API: clients
 * upload with a presigned POST and an S3 event triggers the verification.
 */
import type { FileType } from './file-types.ts';

/** What a material belongs to: an owner kind and the owner's id. */
export type MaterialOwnerKind = 'declaration' | 'notice';

export interface MaterialOwner {
  kind: MaterialOwnerKind;
  id: string;
}

export const declarationOwner = (id: string): MaterialOwner => ({ kind: 'declaration', id });
export const noticeOwner = (id: string): MaterialOwner => ({ kind: 'notice', id });

export const MAX_MATERIAL_BYTES = 20 * 1024 * 1024;
/** Live materials (waiting for their upload, or verified) per owner, whatever its kind. */
export const MAX_MATERIALS_PER_OWNER = 20;
/** Live materials per declaration. */
export const MAX_MATERIALS_PER_DECLARATION = MAX_MATERIALS_PER_OWNER;
/** Lifetime of a presigned POST. */
export const UPLOAD_URL_SECONDS = 15 * 60;
/** Lifetime of a download link. */
export const DOWNLOAD_URL_SECONDS = 5 * 60;
/**
 * A material still waiting an hour after its upload window closed was
 * abandoned: it stops counting against the cap and an upload finishing later
 * is rejected. S3 refuses POSTs after the policy expires; the hour covers a
 * slow upload that started just before.
 */
export const ABANDONED_AFTER_SECONDS = 60 * 60;
/** Rejected materials stay listed (with their reason) this long. */
export const REJECTED_RETENTION_DAYS = 30;

/** Clients write here (presigned POST only); the verification trigger listens here; lifecycle expires leftovers. */
export const MATERIAL_UPLOAD_PREFIX = 'uploads/';
/** Verified copies: the only objects download links are signed for. */
export const MATERIAL_VERIFIED_PREFIX = 'verified/';
/**
 * The key segment of notice attachments under either prefix
 * (`uploads/notices/<noticeId>/<materialId>`); declaration materials keep
 * `uploads/<declarationId>/<materialId>`. One segment more tells the kinds
 * apart, and grants can name notice objects alone.
 */
const NOTICE_SEGMENT = 'notices';
/** Uploads of notice attachments (the attachment route signs POSTs for these only). */
export const NOTICE_ATTACHMENT_UPLOAD_PREFIX = `${MATERIAL_UPLOAD_PREFIX}${NOTICE_SEGMENT}/`;
/** Verified notice attachments (the notice routes sign downloads for these only). */
export const NOTICE_ATTACHMENT_VERIFIED_PREFIX = `${MATERIAL_VERIFIED_PREFIX}${NOTICE_SEGMENT}/`;

export interface MaterialType {
  fileType: FileType;
  contentType: string;
  /** File name extensions that fit the type, lowercase, without the dot. */
  extensions: string[];
  label: string;
}

export const MATERIAL_TYPES: MaterialType[] = [
  { fileType: 'pdf', contentType: 'application/pdf', extensions: ['pdf'], label: 'PDF' },
  { fileType: 'png', contentType: 'image/png', extensions: ['png'], label: 'PNG' },
  { fileType: 'jpeg', contentType: 'image/jpeg', extensions: ['jpg', 'jpeg'], label: 'JPEG' },
  {
    fileType: 'xlsx',
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    extensions: ['xlsx'],
    label: 'XLSX',
  },
  {
    fileType: 'docx',
    contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    extensions: ['docx'],
    label: 'DOCX',
  },
];

export const MATERIAL_CONTENT_TYPES = MATERIAL_TYPES.map((t) => t.contentType) as [string, ...string[]];

export function materialTypeOf(contentType: string): MaterialType | undefined {
  return MATERIAL_TYPES.find((t) => t.contentType === contentType);
}

export const MAX_FILE_NAME_LENGTH = 200;

/**
 * Characters a file name may not hold: path separators (a name is never a
 * path), characters Windows refuses in names, control and format characters
 * (U+202E would show `cod.exe` as `exe.doc`), line and paragraph separators.
 */
const FORBIDDEN_IN_FILE_NAME = /[/\\:*?"<>|\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/** The name as stored: NFC (macOS sends NFD), without surrounding spaces. */
export const normalizeFileName = (name: string) => name.normalize('NFC').trim();

/** Whether a normalised name may be a material's name (length is checked by the schema). */
export function isValidFileName(name: string): boolean {
  return name !== '.' && name !== '..' && !FORBIDDEN_IN_FILE_NAME.test(name);
}

/** The extension, lowercase, or '' when there is none. */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** A name must end in an extension of its type, so a saved download opens with the right program. */
export const extensionFits = (name: string, type: MaterialType) => type.extensions.includes(extensionOf(name));

const ID = /^[0-9A-Za-z]{1,64}$/;

/** `<declarationId>` or `notices/<noticeId>`: the owner's place under either prefix. */
function ownerPath(owner: MaterialOwner, materialId: string): string {
  if (!ID.test(owner.id) || !ID.test(materialId)) throw new Error('ids of a material key must be alphanumeric');
  // `notices` is the segment of notice attachments, never a declaration's id (ULIDs are 26 capitals and digits).
  if (owner.kind === 'declaration' && owner.id === NOTICE_SEGMENT) throw new Error('not a declaration id');
  return `${owner.kind === 'notice' ? `${NOTICE_SEGMENT}/` : ''}${owner.id}/${materialId}`;
}

/**
 * `uploads/<declarationId>/<materialId>` or `uploads/notices/<noticeId>/<materialId>`:
 * under the owner's own prefix; the material id is a ULID, whose 80 random
 * bits make the key unguessable. The file name is never part of a key.
 */
export const materialUploadKey = (owner: MaterialOwner, materialId: string) =>
  `${MATERIAL_UPLOAD_PREFIX}${ownerPath(owner, materialId)}`;

export const materialVerifiedKey = (owner: MaterialOwner, materialId: string) =>
  `${MATERIAL_VERIFIED_PREFIX}${ownerPath(owner, materialId)}`;

/** The owner and material of an upload key, of either kind; undefined for any other key. */
export function parseMaterialUploadKey(key: string): { owner: MaterialOwner; materialId: string } | undefined {
  if (!key.startsWith(MATERIAL_UPLOAD_PREFIX)) return undefined;
  const parts = key.slice(MATERIAL_UPLOAD_PREFIX.length).split('/');
  if (parts.length === 2 && parts[0] !== NOTICE_SEGMENT && ID.test(parts[0]!) && ID.test(parts[1]!)) {
    return { owner: declarationOwner(parts[0]!), materialId: parts[1]! };
  }
  if (parts.length === 3 && parts[0] === NOTICE_SEGMENT && ID.test(parts[1]!) && ID.test(parts[2]!)) {
    return { owner: noticeOwner(parts[1]!), materialId: parts[2]! };
  }
  return undefined;
}

/** The upload key of a declaration's material. */
export const uploadKey = (declarationId: string, materialId: string) =>
  materialUploadKey(declarationOwner(declarationId), materialId);

/** The verified key of a declaration's material. */
export const verifiedKey = (declarationId: string, materialId: string) =>
  materialVerifiedKey(declarationOwner(declarationId), materialId);

/** The ids in a declaration material's upload key; undefined for any other key. */
export function parseUploadKey(key: string): { declarationId: string; materialId: string } | undefined {
  const parsed = parseMaterialUploadKey(key);
  return parsed?.owner.kind === 'declaration' ? { declarationId: parsed.owner.id, materialId: parsed.materialId } : undefined;
}

/** Declarations that take new materials: the latest revision, before a final decision. */
export const MATERIAL_OPEN_STATUSES: readonly string[] = [
  'submitted',
  'compared',
  'city_recommended',
  'province_recommended',
];

export function acceptsMaterials(declaration: { status: string; latest: boolean }): boolean {
  return declaration.latest && MATERIAL_OPEN_STATUSES.includes(declaration.status);
}

/** Whether a material waiting for its upload was abandoned by `at`. */
export function uploadAbandoned(uploadExpiresAt: string, at: Date): boolean {
  return at.getTime() > Date.parse(uploadExpiresAt) + ABANDONED_AFTER_SECONDS * 1000;
}

export interface DeclaredFile {
  size: number;
  contentType: string;
  sha256: string;
}

export interface Inspection {
  size: number;
  /** Lowercase hex. */
  sha256: string;
  type: FileType | null;
}

export type RejectionCode =
  | 'size_mismatch'
  | 'type_mismatch'
  | 'type_unrecognized'
  | 'sha256_mismatch'
  | 'upload_expired';

export interface Rejection {
  code: RejectionCode;
  params?: Record<string, string | number>;
}

/** Size first (checkable before reading a byte), then type, then content. */
export function judgeUpload(declared: DeclaredFile, inspection: Inspection): Rejection | undefined {
  if (inspection.size !== declared.size) {
    return { code: 'size_mismatch', params: { declared: declared.size, actual: inspection.size } };
  }
  const expected = materialTypeOf(declared.contentType);
  const declaredLabel = expected?.label ?? declared.contentType;
  if (inspection.type === null) return { code: 'type_unrecognized', params: { declared: declaredLabel } };
  if (inspection.type !== expected?.fileType) {
    const detected = MATERIAL_TYPES.find((t) => t.fileType === inspection.type)!.label;
    return { code: 'type_mismatch', params: { declared: declaredLabel, detected } };
  }
  if (inspection.sha256 !== declared.sha256) return { code: 'sha256_mismatch' };
  return undefined;
}
