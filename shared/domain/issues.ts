/**
 * A validation finding of the domain core. `path` names the offending field
 * (e.g. ['indicators', 2, 'unit']); `code` is a key of the message catalogue
 * and `params` fill its `{name}` placeholders.
 */
export interface DomainIssue {
  path: (string | number)[];
  code: string;
  params?: Record<string, string | number>;
}
