import { httpHandler } from '../../shared/http/handler.ts';
import { attachmentDisposition } from '../../shared/http/content-disposition.ts';
import { notFound } from '../../shared/http/errors.ts';
import { SchemeParams } from '../../shared/schemas/schemes.ts';
import { templateCsv, templateFileName } from '../../shared/services/batch-templates.ts';
import { getScheme } from '../../shared/store/schemes.ts';

export const handler = httpHandler(
  { params: SchemeParams, roles: ['national', 'province', 'city', 'enterprise', 'expert'] },
  async ({ params }) => {
    const scheme = await getScheme(params.id);
    if (!scheme) throw notFound('scheme');
    return {
      status: 200,
      text: templateCsv(scheme),
      headers: {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': attachmentDisposition(templateFileName(scheme, 'csv')),
        ETag: `"${scheme.version}"`,
      },
    };
  },
);
