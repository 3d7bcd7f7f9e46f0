/**
 * Comparison reports in S3: one place for their keys, for rendering and
 * storing them (the comparison workflow's RenderReport step), for the
 * previous revision's result they show, and for rendering them on first
 * request for comparisons made without the workflow (batch rows).
 */
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { s3Client } from '../aws/clients.ts';
import { config } from '../config/env.ts';
import type { ComparisonResult } from '../domain/comparison.ts';
import { renderReportHtml, renderReportJson, type ReportInput, type ReportLanguage } from '../report/render.ts';
import { type ComparisonRecord, getComparison, type ReportKeys } from '../store/comparisons.ts';
import { type DeclarationRecord, getDeclaration } from '../store/declarations.ts';
import { getScheme } from '../store/schemes.ts';
import { io } from './workflow-errors.ts';

export const REPORT_LANGUAGES: readonly ReportLanguage[] = ['zh', 'en'];

/**
 * What the comparison workflow renders: the platform's own language. Every
 * stored object is an S3 PUT (two per language), the largest part of a
 * declaration's cost; English is rendered the first time it is asked for.
 */
export const EAGER_REPORT_LANGUAGES: readonly ReportLanguage[] = ['zh'];

/** The same keys on every attempt: a retried render overwrites, never duplicates. */
export function reportKeys(comparisonId: string): ReportKeys {
  const keys = {} as ReportKeys;
  for (const language of REPORT_LANGUAGES) {
    const prefix = `comparisons/${comparisonId}/report.${language}`;
    keys[language] = { html: `${prefix}.html`, json: `${prefix}.json` };
  }
  return keys;
}

/** Renders the report in each language and stores its HTML and JSON; returns the keys of those languages. */
export async function storeReports(
  input: Omit<ReportInput, 'language'>,
  languages: readonly ReportLanguage[] = REPORT_LANGUAGES,
): Promise<Partial<ReportKeys>> {
  const all = reportKeys(input.comparison.id);
  const keys: Partial<ReportKeys> = {};
  for (const language of languages) keys[language] = all[language];
  await Promise.all(
    languages.map(async (language) => {
      const document = { ...input, language };
      // HTML last: its presence means the language's report is complete (reportFor).
      await put(all[language].json, JSON.stringify(renderReportJson(document)), 'application/json; charset=utf-8');
      await put(all[language].html, renderReportHtml(document), 'text/html; charset=utf-8');
    }),
  );
  return keys;
}

function put(key: string, body: string, contentType: string) {
  return io(() =>
    s3Client().send(new PutObjectCommand({ Bucket: config().reportsBucket, Key: key, Body: body, ContentType: contentType })),
  );
}

/** The previous revision's comparison a report shows in its "gap closing" column. */
export interface PreviousResult {
  declarationId: string;
  revision: number;
  comparisonId: string;
  result: ComparisonResult;
}

/** The previous revision's latest successful result, for the report's "gap closing" column. */
export async function previousResult(declaration: Pick<DeclarationRecord, 'supersedes'>): Promise<PreviousResult | undefined> {
  if (!declaration.supersedes) return undefined;
  const earlier = await io(() => getDeclaration(declaration.supersedes!));
  if (!earlier?.lastComparisonId) return undefined;
  return comparedRevision(earlier, earlier.lastComparisonId);
}

async function comparedRevision(earlier: DeclarationRecord, comparisonId: string): Promise<PreviousResult | undefined> {
  const comparison = await io(() => getComparison(comparisonId));
  if (!comparison?.result) return undefined;
  return { declarationId: earlier.id, revision: earlier.revision, comparisonId, result: comparison.result };
}

/**
 * The previous result a comparison's reports show: the one recorded when the
 * workflow rendered its first report, so that a report rendered later in
 * another language shows the same, even if the earlier revision was compared
 * again meanwhile; the earlier revision's latest otherwise (batch rows).
 */
async function previousOf(comparison: ComparisonRecord, declaration: DeclarationRecord): Promise<PreviousResult | undefined> {
  if (comparison.previousComparisonId === undefined) return previousResult(declaration);
  if (comparison.previousComparisonId === null || !declaration.supersedes) return undefined;
  const earlier = await io(() => getDeclaration(declaration.supersedes!));
  return earlier ? comparedRevision(earlier, comparison.previousComparisonId) : undefined;
}

async function exists(key: string): Promise<boolean> {
  try {
    await s3Client().send(new HeadObjectCommand({ Bucket: config().reportsBucket, Key: key }));
    return true;
  } catch (error) {
    if ((error as Error).name === 'NotFound' || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) {
      return false;
    }
    throw error;
  }
}

/**
 * The report keys of a succeeded comparison in one language. Batch rows are
 * compared inside the batch workflow without rendering (most reports are never
 * opened, and rendering 10,000 would dominate the batch), and the comparison
 * workflow renders only EAGER_REPORT_LANGUAGES: any other report is rendered
 * from the stored records the first time it is asked for, with the same
 * renderer and the same keys as the workflow's.
 */
export async function reportFor(comparison: ComparisonRecord, language: ReportLanguage): Promise<ReportKeys[ReportLanguage] | undefined> {
  const rendered = comparison.reports?.[language];
  if (rendered) return rendered;
  if (comparison.status !== 'succeeded' || !comparison.result || comparison.schemeVersion === null) return undefined;
  const keys = reportKeys(comparison.id);
  if (await exists(keys[language].html)) return keys[language];
  const [declaration, scheme] = await Promise.all([
    getDeclaration(comparison.declarationId),
    getScheme(comparison.schemeId, comparison.schemeVersion),
  ]);
  if (!declaration || !scheme) return undefined;
  const previous = await previousOf(comparison, declaration);
  await storeReports(
    {
      comparison: { id: comparison.id, schemeVersion: scheme.version, completedAt: comparison.completedAt ?? comparison.createdAt },
      declaration,
      scheme,
      result: comparison.result,
      ...(previous ? { previous } : {}),
    },
    [language],
  );
  return keys[language];
}
