/**
 * Workflow step 1: the declaration, the scheme's latest version (a re-run uses
 * the newest), and the previous revision's latest result for the report's
 * "gap closing" column.
 */
import type { ComparisonInput } from '../../shared/services/comparisons.ts';
import { io, StepFailure } from '../../shared/services/workflow-errors.ts';
import { previousResult } from '../../shared/services/reports.ts';
import { getDeclaration } from '../../shared/store/declarations.ts';
import { getScheme } from '../../shared/store/schemes.ts';
import { eventHandler } from '../../shared/event-handler.ts';
import type { ComparisonJob } from './job.ts';

export const handler = eventHandler(async (input: ComparisonInput): Promise<ComparisonJob> => {
  const declaration = await io(() => getDeclaration(input.declarationId));
  if (!declaration) throw new StepFailure('declaration_not_found', `Declaration ${input.declarationId} does not exist`);
  const scheme = await io(() => getScheme(declaration.schemeId));
  if (!scheme) throw new StepFailure('scheme_not_found', `Scheme ${declaration.schemeId} does not exist`);

  const previous = await previousResult(declaration);
  return {
    comparisonId: input.comparisonId,
    declarationId: declaration.id,
    declaration: {
      id: declaration.id,
      creditCode: declaration.creditCode,
      enterpriseName: declaration.enterpriseName,
      product: declaration.product,
      standardNumber: declaration.standardNumber,
      revision: declaration.revision,
      createdAt: declaration.createdAt,
      indicators: declaration.indicators,
    },
    scheme: {
      id: scheme.id,
      version: scheme.version,
      name: scheme.name,
      productCategory: scheme.productCategory,
      indicators: scheme.indicators,
    },
    ...(previous ? { previous } : {}),
  };
});
