/**
 * Content-Disposition for downloads (RFC 6266): `filename*` carries the real
 * name in UTF-8 (RFC 8187, formerly 5987), so 检测报告.pdf arrives as such;
 * `filename` is an ASCII fallback for the few clients without `filename*`.
 */

/** RFC 8187 attr-char: ALPHA / DIGIT / "!#$&+-.^_`|~"; every other byte is %-encoded. */
const ATTR_CHAR = /[A-Za-z0-9!#$&+\-.^_`|~]/;

export function encodeExtValue(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const char = String.fromCharCode(byte);
    out += byte < 0x80 && ATTR_CHAR.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Printable ASCII only, as a quoted-string: others become `_`, quotes and backslashes are escaped. */
function asciiFallback(fileName: string): string {
  const ascii = [...fileName].map((char) => (/^[\x20-\x7e]$/.test(char) ? char : '_')).join('');
  return ascii.replace(/["\\]/g, (char) => `\\${char}`);
}

export function attachmentDisposition(fileName: string): string {
  return `attachment; filename="${asciiFallback(fileName)}"; filename*=UTF-8''${encodeExtValue(fileName)}`;
}
