/**
 * State machine definitions are ASL files in this folder with `${Name}` placeholders,
 * the syntax of CloudFormation's DefinitionSubstitutions. CDK can use a file either
 * as `DefinitionBody.fromFile(file)` with `definitionSubstitutions`, or as
 * `DefinitionBody.fromString(loadDefinition(file, substitutions))`; the local
 * interpreter uses `loadDefinition`. One source of truth for both places.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';

/** Folder of the ASL files; relative `file` names are resolved against it. */
export const workflowsDir = import.meta.dirname;

export interface WorkflowDefinition {
  /** State machine name (also the last part of its ARN). */
  name: string;
  /** ASL file, relative to infra/workflows/ (absolute paths are allowed, e.g. test fixtures). */
  file: string;
  /**
   * Lambda task resources are placeholders, e.g. `"Resource": "${CompareFunctionArn}"`.
   * placeholder → function handler path like 'comparisons/compare' (functions/<path>.ts,
   * exporting `handler(event, context)`).
   */
  tasks: Record<string, string>;
}

const PLACEHOLDER = /\$\{([^}]*)\}/g;

export function definitionPath(file: string): string {
  return isAbsolute(file) ? file : resolve(workflowsDir, file);
}

/** Placeholder names used by an ASL file, in order of first appearance. */
export function definitionPlaceholders(file: string): string[] {
  const text = readFileSync(definitionPath(file), 'utf8');
  return [...new Set(Array.from(text.matchAll(PLACEHOLDER), (match) => match[1]!))];
}

/**
 * Reads an ASL file and replaces every `${Name}`. A placeholder without a substitution
 * is an error naming it (CloudFormation would fail the deployment later); unused
 * substitutions are fine. Values are inserted verbatim, as CloudFormation does.
 */
export function loadDefinition(file: string, substitutions: Record<string, string>): string {
  const path = definitionPath(file);
  const text = readFileSync(path, 'utf8');
  const missing = new Set<string>();
  const result = text.replace(PLACEHOLDER, (placeholder, name: string) => {
    if (Object.hasOwn(substitutions, name)) return substitutions[name]!;
    missing.add(name);
    return placeholder;
  });
  if (missing.size > 0) {
    throw new Error(`${path}: no substitution for ${[...missing].map((name) => `\${${name}}`).join(', ')}`);
  }
  try {
    JSON.parse(result);
  } catch (error) {
    throw new Error(`${path}: not valid JSON after substitution: ${(error as Error).message}`);
  }
  return result;
}
