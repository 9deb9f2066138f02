// The /events client of W7, run as its own process (as a browser would be): reads the
// stream as fast as it comes and throws it away, reconnecting with Last-Event-ID if the
// server drops it. On SIGTERM prints `{ bytes, events, connections }` as one JSON line.
import { request } from 'node:http';

const url = process.argv[2]!;
let bytes = 0;
let events = 0;
let connections = 0;
let lastId: string | undefined;
let stopping = false;

function connect(): void {
  connections += 1;
  const headers: Record<string, string> = lastId ? { 'Last-Event-ID': lastId } : {};
  const req = request(url, { headers, agent: false }, (res) => {
    res.setEncoding('utf8');
    res.on('data', (text: string) => {
      if (connections === 1 && bytes === 0) process.stdout.write('CONNECTED\n');
      bytes += text.length;
      // As little work as a reader can do: count frames (one whose blank line is split
      // between two chunks is missed: a figure for the report, not a check), keep the last id.
      for (let at = text.indexOf('\n\n'); at >= 0; at = text.indexOf('\n\n', at + 2)) events += 1;
      const at = text.lastIndexOf('\nid: ');
      const end = at < 0 ? -1 : text.indexOf('\n', at + 5);
      if (end > 0) lastId = text.slice(at + 5, end);
    });
    res.once('close', () => {
      if (!stopping) setTimeout(connect, 10);
    });
  });
  req.once('error', () => {
    if (!stopping) setTimeout(connect, 50);
  });
  req.end();
}

process.once('SIGTERM', () => {
  stopping = true;
  process.stdout.write(`${JSON.stringify({ bytes, events, connections })}\n`);
  process.exit(0);
});
connect();
