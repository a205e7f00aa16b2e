/** Renders a Java .properties file (ISO-8859-1 escapes aside: ARC writes ASCII only). */
export function renderProperties(entries: Record<string, string | number | boolean>, header?: string): string {
  const lines: string[] = [];
  if (header) lines.push(...header.split('\n').map((line) => `# ${line}`.trimEnd()));
  for (const [key, value] of Object.entries(entries)) {
    lines.push(`${escapeKey(key)}=${escapeValue(String(value))}`);
  }
  return `${lines.join('\n')}\n`;
}

function escapeCommon(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
}

function escapeKey(key: string): string {
  return escapeCommon(key).replace(/([ =:#!])/g, '\\$1');
}

function escapeValue(value: string): string {
  // Only a leading space is significant in a value; escape it so it survives.
  return escapeCommon(value).replace(/^ /, '\\ ');
}
