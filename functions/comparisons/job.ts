/** The state the comparison workflow carries from step to step. */
import type { ComparisonResult } from '../../shared/domain/comparison.ts';
import type { DeclaredIndicator } from '../../shared/domain/declaration.ts';
import type { SchemeIndicator } from '../../shared/domain/scheme.ts';
import type { PreviousResult } from '../../shared/services/reports.ts';
import type { ReportKeys } from '../../shared/store/comparisons.ts';

export interface ComparisonJob {
  comparisonId: string;
  declarationId: string;
  declaration: {
    id: string;
    creditCode: string;
    enterpriseName: string;
    product: string;
    standardNumber: string;
    revision: number;
    createdAt: string;
    indicators: DeclaredIndicator[];
  };
  scheme: { id: string; version: number; name: string; productCategory: string; indicators: SchemeIndicator[] };
  previous?: PreviousResult;
  /** Set by the Compare step. */
  result?: ComparisonResult;
  /** Set by the RenderReport step. */
  reports?: Partial<ReportKeys>;
  /** Set by a Catch. */
  failure?: { Error: string; Cause: string };
}
