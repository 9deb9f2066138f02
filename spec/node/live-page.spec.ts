import { chromium, type Browser, type Page } from 'playwright-core';
import { childProcessSuite, type Child } from './support/child.js';

// Debian's Chromium (.ci/run installs it), or $CHROME_BIN as for Karma; playwright-core
// never downloads a browser.
const CHROMIUM = {
  executablePath: process.env['CHROME_BIN'] || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
};

const POLLER = 'Worker/App/Sup/Poller';

/** Resolves once the service element at `path` carries these attributes (as the page draws it). */
async function until(page: Page, path: string, attributes: Record<string, string>, timeout = 10_000): Promise<void> {
  await page.waitForFunction(
    ([p, wanted]) => {
      const element = document.querySelector(`[data-path="${CSS.escape(p)}"]`);
      return element !== null && Object.entries(wanted).every(([name, value]) => element.getAttribute(name) === value);
    },
    [path, attributes] as const,
    { timeout },
  );
}

describe('The live page (/) in headless Chromium', () => {
  const runNode = childProcessSuite();
  let browser: Browser;

  beforeAll(async () => {
    browser = await chromium.launch(CHROMIUM);
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
  });

  async function program(args: string[] = ['--health-port', '0']): Promise<{ child: Child; url: string }> {
    const child = runNode('spec/node/fixtures/live-app.js', args);
    const [, url] = await child.waitFor(/Health probes on (http:\/\/127\.0\.0\.1:\d+)/);
    await child.waitFor(/^READY$/m);
    return { child, url: url! };
  }

  it("shows each service; after a crash its data-restarts go up and its data-state comes back to running", async () => {
    const { child, url } = await program();
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    try {
      await page.goto(`${url}/`);
      await until(page, POLLER, { 'data-state': 'running', 'data-restarts': '0' });
      for (const path of ['Worker', 'Worker/App', 'Worker/App/Sup']) await until(page, path, { 'data-state': 'running' });
      expect(await page.textContent('#connection')).toBe('live');
      expect(await page.textContent(`[data-path="Worker/App/Sup"] .extra`)).toBe('budget 0/10 in 1m');
      expect(await page.textContent(`[data-path="${POLLER}"] .extra`)).toMatch(/^poll every 100ms: drift/);

      child.kill('SIGHUP');
      await until(page, POLLER, { 'data-state': 'running', 'data-restarts': '1' });
      await until(page, POLLER, { 'data-ready': 'true' });
      // The crash is on the timeline, and the supervisor's budget shows the restart.
      expect(await page.locator(`[data-path="${POLLER}"] .lane .m.crashed`).count()).toBe(1);
      expect(await page.locator(`[data-path="${POLLER}"] .lane .m`).count()).toBe(3); // crashed, init, running
      await page.waitForFunction(() => document.querySelector('[data-path="Worker/App/Sup"] .extra')?.textContent === 'budget 1/10 in 1m');

      // One page, one stream, nothing from anywhere else.
      const origin = new URL(url).origin;
      expect(requests.every((r) => r.startsWith(`${origin}/`))).withContext(requests.join('\n')).toBeTrue();
      expect(requests.filter((r) => !r.includes('/events'))).toEqual([`${origin}/`]);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
    child.kill('SIGTERM');
    expect((await child.exited()).code).toBe(0);
  });

  it('stays usable with 10,000 services and through a restart storm: wide subtrees collapse to a count', async () => {
    const child = runNode('spec/node/fixtures/live-app.js', ['--health-port', '0'], { FIXTURE: 'big' });
    const [, url] = await child.waitFor(/Health probes on (http:\/\/127\.0\.0\.1:\d+)/);
    await child.waitFor(/^READY$/m, 20_000);
    const page = await browser.newPage();
    try {
      await page.goto(`${url}/`);
      await until(page, POLLER, { 'data-state': 'running' });
      expect(await page.textContent('#counts')).toBe('10,014 services · 10,014 running');
      // Each group of 1,000 is one line, not 1,000 elements.
      expect(await page.locator('li[data-path]').count()).toBeLessThan(30);
      expect(await page.textContent('[data-path="Worker/App/Group3"] .summary')).toBe('1,000 services below: 1,000 running');

      child.kill('SIGHUP'); // 2,000 crashes at once, each restarted by its group
      await until(page, POLLER, { 'data-restarts': '1', 'data-state': 'running' }, 20_000);
      await page.waitForFunction(() => document.querySelector('#counts')?.textContent === '10,014 services · 10,014 running', undefined, { timeout: 20_000 });
      expect(await page.textContent('[data-path="Worker/App/Group3"] .extra')).toMatch(/^budget 200\/10000 in 1m$/);

      // Opened, a group shows its members, the restarted ones with their count.
      await page.click('[data-path="Worker/App/Group3"] > .row > button.toggle');
      await until(page, 'Worker/App/Group3/Member#6', { 'data-restarts': '1', 'data-state': 'running' });
      await until(page, 'Worker/App/Group3/Member#2', { 'data-restarts': '0', 'data-state': 'running' });
      expect(await page.locator('[data-path^="Worker/App/Group3/"]').count()).toBe(1_000);
    } finally {
      await page.close();
    }
    child.kill('SIGTERM');
    expect((await child.exited(20_000)).code).toBe(0);
  });

  it('reconnects by itself when the program comes back, and shows the new run', async () => {
    const first = await program();
    const port = new URL(first.url).port;
    const page = await browser.newPage();
    try {
      await page.goto(`${first.url}/`);
      await until(page, POLLER, { 'data-state': 'running' });
      first.child.kill('SIGHUP');
      await until(page, POLLER, { 'data-restarts': '1', 'data-state': 'running' });
      first.child.kill('SIGTERM');
      expect((await first.child.exited()).code).toBe(0);
      await page.waitForFunction(() => document.querySelector('#connection')?.textContent?.startsWith('reconnecting'));
      const second = await program(['--health-port', port]);
      // A fresh snapshot from the new process: its Poller never restarted.
      await until(page, POLLER, { 'data-restarts': '0', 'data-state': 'running' }, 20_000);
      expect(await page.textContent('#connection')).toBe('live');
      second.child.kill('SIGTERM');
      expect((await second.child.exited()).code).toBe(0);
    } finally {
      await page.close();
    }
  });
});
