/** Messages of the materials capability (files attached to declarations and to notices). */
import type { Message } from '../messages.ts';

export const materialMessages = {
  // Field issue codes of POST /v1/declarations/{id}/materials and POST /v1/notices/{id}/attachments.
  invalid_file_name: {
    zh: '文件名不能包含路径或字符 / \\ : * ? " < > |，也不能含控制字符',
    en: 'A file name holds no path, none of / \\ : * ? " < > | and no control characters',
  },
  file_extension_mismatch: {
    zh: '文件扩展名与文件类型不符（应为 {extensions}）',
    en: 'The extension does not fit the content type (expected {extensions})',
  },
  invalid_sha256: {
    zh: 'SHA-256 应为 64 位小写十六进制字符',
    en: 'SHA-256 must be 64 lowercase hexadecimal characters',
  },

  // Problem details.
  'detail.material_limit': {
    zh: '每份申报最多上传 {limit} 个材料',
    en: 'A declaration holds at most {limit} materials',
  },
  'detail.notice_attachment_limit': {
    zh: '每份通知最多上传 {limit} 个附件',
    en: 'A notice holds at most {limit} attachments',
  },
  'detail.notice_attachments_closed': {
    zh: '只有草稿状态的通知可以添加附件，已发布或已归档的通知不能再添加',
    en: 'Only a draft notice takes attachments; a published or archived one takes no more',
  },
  'detail.declaration_closed': {
    zh: '该申报已有后续修订或已终审，不能再上传材料',
    en: 'The declaration was revised or has a final decision; it takes no more materials',
  },

  // Why an upload was rejected (reason.message in the materials list).
  'material_reason.size_mismatch': {
    zh: '文件大小 {actual} 字节与申报的 {declared} 字节不符',
    en: 'The file has {actual} bytes, {declared} were declared',
  },
  'material_reason.type_mismatch': {
    zh: '文件内容是 {detected}，与声明的类型 {declared} 不符',
    en: 'The content is {detected}, not the declared {declared}',
  },
  'material_reason.type_unrecognized': {
    zh: '文件内容不是声明的类型 {declared}，也不是其他允许的类型',
    en: 'The content is not the declared {declared}, nor another allowed type',
  },
  'material_reason.sha256_mismatch': {
    zh: '文件的 SHA-256 与申报的不符，文件可能已损坏或被替换',
    en: 'The SHA-256 of the file differs from the declared one; it may be damaged or replaced',
  },
  'material_reason.upload_expired': {
    zh: '未在上传有效期内完成上传，请重新申请上传',
    en: 'The file was not uploaded in time; request a new upload',
  },
} satisfies Record<string, Message>;
