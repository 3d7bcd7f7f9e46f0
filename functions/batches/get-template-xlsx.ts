import { httpHandler } from '../../shared/http/handler.ts';
import { attachmentDisposition } from '../../shared/http/content-disposition.ts';
import { notFound } from '../../shared/http/errors.ts';
import { CONTENT_TYPES } from '../../shared/domain/batch.ts';
import { SchemeParams } from '../../shared/schemas/schemes.ts';
import { templateFileName, templateXlsx } from '../../shared/services/batch-templates.ts';
import { getScheme } from '../../shared/store/schemes.ts';

export const handler = httpHandler(
  { params: SchemeParams, roles: ['national', 'province', 'city', 'enterprise', 'expert'] },
  async ({ params, language }) => {
    const scheme = await getScheme(params.id);
    if (!scheme) throw notFound('scheme');
    return {
      status: 200,
      binary: await templateXlsx(scheme, language),
      headers: {
        'Content-Type': CONTENT_TYPES.xlsx,
        'Content-Disposition': attachmentDisposition(templateFileName(scheme, 'xlsx')),
        'Content-Language': language === 'en' ? 'en' : 'zh-CN',
        ETag: `"${scheme.version}"`,
      },
    };
  },
);
