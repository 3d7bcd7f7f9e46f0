import { httpHandler, ok } from '../../shared/http/handler.ts';

export const handler = httpHandler({}, () => ok({ status: 'ok', time: new Date().toISOString() }));
