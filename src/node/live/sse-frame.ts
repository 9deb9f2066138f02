/**
 * One Server-Sent Events message: `id:`, `event:` and the data, one `data:` line per line
 * of it (a newline inside the data would otherwise end the field), then a blank line.
 *
 * @example
 * sseFrame(7, 'transition', '{"path":"App"}'); // 'id: 7\nevent: transition\ndata: {"path":"App"}\n\n'
 */
export function sseFrame(id: number, type: string, data: string): string {
  const lines = data.includes('\n') || data.includes('\r') ? data.split(/\r\n|\r|\n/).join('\ndata: ') : data;
  return `id: ${id}\nevent: ${type}\ndata: ${lines}\n\n`;
}

/**
 * An SSE comment line: clients ignore it, proxies see traffic and keep the stream open.
 *
 * @example
 * sseComment('keep-alive'); // ': keep-alive\n\n'
 */
export function sseComment(text: string): string {
  return `: ${text.replace(/\r\n|\r|\n/g, ' ')}\n\n`;
}
