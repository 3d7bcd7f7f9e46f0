import { httpHandler } from '../../shared/http/handler.ts';
import { docsPage } from '../../shared/http/docs-page.ts';

export const handler = httpHandler({}, () => ({
  status: 200,
  text: docsPage,
  headers: {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'public, max-age=300',
    'Content-Security-Policy': "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'",
  },
}));
