/**
 * The information services' functions (notices, threads, directory, search,
 * showcase) are built in a nested stack of the API stack of their own: with
 * them, the API stack would pass CloudFormation's 500 resources.
 */
import type { Route } from './types.ts';

export const inInformationStack = (routes: Route[]): Route[] =>
  routes.map((route) => ({ ...route, nestedStack: 'Information' }));
