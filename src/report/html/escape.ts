/**
 * HTML escaping for every string that comes from data. `escapeHtml` is safe in element content and in
 * double- or single-quoted attribute values: it replaces & < > " ' (and strips C0 controls other than tab/newline,
 * which HTML forbids), so no data string can open a tag, close an attribute or start an entity.
 */
export function escapeHtml(value: string): string {
  return value
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
