/** The shape of a route table entry; see ../routes.ts. */
import type { z } from 'zod';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RouteResponse {
  description: string;
  schema?: z.ZodType;
  contentType?: string;
}

export interface Route {
  operationId: string;
  method: HttpMethod;
  /** API Gateway resource path, `{name}` for path parameters. */
  path: string;
  /** `functions/<handler>.ts`, exporting `handler`. */
  handler: string;
  /** `bearer`: the authorizer runs first; `none`: public. */
  auth: 'bearer' | 'none';
  tag: string;
  summary: string;
  description?: string;
  request?: {
    body?: z.ZodType;
    bodyContentType?: string;
    query?: z.ZodObject;
    params?: z.ZodObject;
  };
  /** Success responses by status. Error statuses are listed in `errors`. */
  responses: Record<number, RouteResponse>;
  errors: number[];
  /** Creating POSTs honour Idempotency-Key. */
  idempotent?: boolean;
  /** Mutations that need `If-Match`. */
  ifMatch?: boolean;
  memoryMb?: number;
  /**
   * Build the route's function in this nested stack of the API stack rather
   * than in the API stack itself: each function brings about ten resources,
   * and a CloudFormation stack holds at most 500.
   */
  nestedStack?: string;
}

export const json = (description: string, schema?: z.ZodType): RouteResponse => ({ description, schema });

