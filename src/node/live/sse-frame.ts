/**
 * One Server-Sent Events message whose data is JSON text: `id:`, `event:`, then the data
 * on one `data:` line (JSON.stringify never writes a raw line break, which would end the
 * field), then a blank line.
 *
 * @example
 * jsonFrame(7, 'transition', JSON.stringify({ path: 'App' })); // 'id: 7\nevent: transition\ndata: {"path":"App"}\n\n'
 */
export function jsonFrame(id: number, type: string, json: string): string {
  return `id: ${id}\nevent: ${type}\ndata: ${json}\n\n`;
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
