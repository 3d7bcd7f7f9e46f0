/**
 * Materials owned by a declaration or a notice: object keys of both kinds and
 * the trigger's routing of a key to its owner, the notice's rules for
 * attachments, and the summary a notice keeps of its verified ones.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  declarationOwner,
  MATERIAL_UPLOAD_PREFIX,
  MATERIAL_VERIFIED_PREFIX,
  materialUploadKey,
  materialVerifiedKey,
  MAX_MATERIALS_PER_DECLARATION,
  MAX_MATERIALS_PER_OWNER,
  NOTICE_ATTACHMENT_UPLOAD_PREFIX,
  NOTICE_ATTACHMENT_VERIFIED_PREFIX,
  noticeOwner,
  parseMaterialUploadKey,
  parseUploadKey,
  uploadKey,
  verifiedKey,
} from '../../shared/domain/materials.ts';
import {
  acceptsAttachments,
  canTransition,
  noticeAttachmentOf,
  visibleAttachmentStatuses,
} from '../../shared/domain/notices.ts';
import { hasMessage, translate } from '../../shared/i18n/messages.ts';
import { materialKey, materialSlotsKey, noticeKey } from '../../shared/store/keys.ts';
import { ownerOf } from '../../shared/store/materials.ts';

const NOTICE = '01J0NOTICE';
const DECL = '01J0DECL';
const MAT = '01J0MAT';

describe('object keys of either owner', () => {
  it('keeps the declaration layout and puts notice attachments one segment deeper', () => {
    expect(materialUploadKey(declarationOwner(DECL), MAT)).toBe(`uploads/${DECL}/${MAT}`);
    expect(materialVerifiedKey(declarationOwner(DECL), MAT)).toBe(`verified/${DECL}/${MAT}`);
    expect(uploadKey(DECL, MAT)).toBe(materialUploadKey(declarationOwner(DECL), MAT));
    expect(verifiedKey(DECL, MAT)).toBe(materialVerifiedKey(declarationOwner(DECL), MAT));
    expect(materialUploadKey(noticeOwner(NOTICE), MAT)).toBe(`uploads/notices/${NOTICE}/${MAT}`);
    expect(materialVerifiedKey(noticeOwner(NOTICE), MAT)).toBe(`verified/notices/${NOTICE}/${MAT}`);
    // The notice prefixes the grants name lie inside the prefixes the trigger and lifecycle cover.
    expect(NOTICE_ATTACHMENT_UPLOAD_PREFIX.startsWith(MATERIAL_UPLOAD_PREFIX)).toBe(true);
    expect(NOTICE_ATTACHMENT_VERIFIED_PREFIX.startsWith(MATERIAL_VERIFIED_PREFIX)).toBe(true);
    expect(materialUploadKey(noticeOwner(NOTICE), MAT).startsWith(NOTICE_ATTACHMENT_UPLOAD_PREFIX)).toBe(true);
    expect(materialUploadKey(declarationOwner(DECL), MAT).startsWith(NOTICE_ATTACHMENT_UPLOAD_PREFIX)).toBe(false);
    expect(() => materialUploadKey(noticeOwner('../x'), MAT)).toThrow();
    expect(() => materialUploadKey(declarationOwner('notices'), MAT)).toThrow();
    expect(() => materialVerifiedKey(noticeOwner(NOTICE), 'a/b')).toThrow();
  });

  it('routes an upload key to its owner, and nothing else', () => {
    expect(parseMaterialUploadKey(`uploads/${DECL}/${MAT}`)).toEqual({ owner: { kind: 'declaration', id: DECL }, materialId: MAT });
    expect(parseMaterialUploadKey(`uploads/notices/${NOTICE}/${MAT}`)).toEqual({ owner: { kind: 'notice', id: NOTICE }, materialId: MAT });
    // The declaration-only parser does not take a notice's key for a declaration's.
    expect(parseUploadKey(`uploads/notices/${NOTICE}/${MAT}`)).toBeUndefined();
    for (const key of [
      `verified/notices/${NOTICE}/${MAT}`,
      `uploads/notices/${NOTICE}`,
      `uploads/other/${NOTICE}/${MAT}`,
      `uploads/notices/${NOTICE}/${MAT}/x`,
      `uploads/notices/../${MAT}`,
      `uploads/notices//${MAT}`,
      `uploads/notices/${NOTICE}/${MAT}.pdf`,
    ]) {
      expect(parseMaterialUploadKey(key), key).toBeUndefined();
    }
  });

  it('parses back every key it builds, of either kind', () => {
    const id = fc.stringMatching(/^[0-9A-Za-z]{1,64}$/);
    fc.assert(
      fc.property(fc.constantFrom('declaration' as const, 'notice' as const), id.filter((s) => s !== 'notices'), id, (kind, ownerId, materialId) => {
        const owner = { kind, id: ownerId };
        expect(parseMaterialUploadKey(materialUploadKey(owner, materialId))).toEqual({ owner, materialId });
      }),
    );
  });
});

describe('table keys of either owner', () => {
  it('gives each owner its own materials partition, apart from the notice item', () => {
    expect(materialKey(declarationOwner(DECL), MAT)).toEqual({ pk: `MATERIALS#${DECL}`, sk: `MAT#${MAT}` });
    expect(materialSlotsKey(declarationOwner(DECL))).toEqual({ pk: `MATERIALS#${DECL}`, sk: 'SLOTS' });
    expect(materialKey(noticeOwner(NOTICE), MAT)).toEqual({ pk: `MATERIALS#NOTICE#${NOTICE}`, sk: `MAT#${MAT}` });
    expect(materialSlotsKey(noticeOwner(NOTICE))).toEqual({ pk: `MATERIALS#NOTICE#${NOTICE}`, sk: 'SLOTS' });
    expect(materialKey(noticeOwner(NOTICE), MAT).pk).not.toBe(noticeKey(NOTICE).pk);
  });

  it('tells a stored material’s owner from its fields', () => {
    expect(ownerOf({ id: MAT, declarationId: DECL })).toEqual({ kind: 'declaration', id: DECL });
    expect(ownerOf({ id: MAT, noticeId: NOTICE })).toEqual({ kind: 'notice', id: NOTICE });
  });
});

describe('attachments of notices', () => {
  it('are added to drafts only, under the same cap as declarations', () => {
    expect(acceptsAttachments('draft')).toBe(true);
    expect(acceptsAttachments('published')).toBe(false);
    expect(acceptsAttachments('archived')).toBe(false);
    // The rule of changing the notice, no wider.
    for (const status of ['draft', 'published', 'archived'] as const) {
      expect(acceptsAttachments(status)).toBe(canTransition(status, 'edit'));
    }
    expect(MAX_MATERIALS_PER_OWNER).toBe(20);
    expect(MAX_MATERIALS_PER_DECLARATION).toBe(MAX_MATERIALS_PER_OWNER);
  });

  it('show their managers every upload and their audience the verified ones', () => {
    expect(visibleAttachmentStatuses(true)).toBe('all');
    expect(visibleAttachmentStatuses(false)).toBe('verified');
  });

  it('are summarised on the notice with what readers need and nothing internal', () => {
    const summary = noticeAttachmentOf({
      id: MAT,
      fileName: '通知附件.pdf',
      contentType: 'application/pdf',
      size: 1234,
      sha256: 'a'.repeat(64),
      // Internal fields of the material stay out of the summary.
      ...({ uploadKey: `uploads/notices/${NOTICE}/${MAT}`, createdBy: 'client', status: 'verified' } as object),
    });
    expect(summary).toEqual({ id: MAT, fileName: '通知附件.pdf', contentType: 'application/pdf', size: 1234, sha256: 'a'.repeat(64) });
  });

  it('have their problems in Chinese and English', () => {
    for (const key of ['detail.notice_attachments_closed', 'detail.notice_attachment_limit']) {
      expect(hasMessage(key), key).toBe(true);
    }
    expect(translate('detail.notice_attachment_limit', 'zh', { limit: 20 })).toBe('每份通知最多上传 20 个附件');
    expect(translate('detail.notice_attachment_limit', 'en', { limit: 20 })).toBe('A notice holds at most 20 attachments');
    expect(translate('detail.notice_attachments_closed', 'en')).toMatch(/draft/);
  });
});
