/** The shape of a route table entry; see ../routes.ts. */
import type { $ZodObject, $ZodType } from 'zod/v4/core';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RouteResponse {
  description: string;
  schema?: $ZodType;
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
    body?: $ZodType;
    bodyContentType?: string;
    query?: $ZodObject;
    params?: $ZodObject;
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

export const json = (description: string, schema?: $ZodType): RouteResponse => ({ description, schema });

