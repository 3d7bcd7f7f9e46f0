/**
 * The contract as a province sees it: /openapi.json passes Redocly's linter
 * (rules in .redocly.yaml) and /docs, opened in headless Chromium, lists every
 * operation. Chromium is Debian's (/usr/bin/chromium; .ci/run installs it):
 * without it this file fails rather than skips.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../shared/http/routes.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

const root = resolve(import.meta.dirname, '../..');
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

interface Document {
  openapi: string;
  servers: { url: string }[];
  paths: Record<string, Record<string, { operationId: string; responses: Record<string, { headers?: Record<string, unknown> }> }>>;
  webhooks: Record<string, unknown>;
  components: { securitySchemes: Record<string, unknown> };
}

let t: TestPlatform;

beforeAll(async () => {
  t = await startTestPlatform();
}, 60_000);

afterAll(async () => {
  await t?.platform.stop();
});

describe('/openapi.json', () => {
  it('passes redocly lint with no error and no warning', async () => {
    const text = await (await t.fetch('/openapi.json')).text();
    const file = join(mkdtempSync(join(tmpdir(), 'openapi-')), 'openapi.json');
    writeFileSync(file, text);
    const cli = join(root, 'node_modules/@redocly/cli/bin/cli.js');
    // The linter exits non-zero on errors; the JSON report says why either way.
    const run = await promisify(execFile)(process.execPath, [cli, 'lint', file, '--config', join(root, '.redocly.yaml'), '--format', 'json'], {
      cwd: root,
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    const report = JSON.parse(run.stdout) as { totals: { errors: number; warnings: number }; problems: { ruleId: string; message: string }[] };
    expect(report.problems.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  }, 60_000);

  it('documents every route, throttling on each, the security scheme and the webhook events', async () => {
    const document = (await (await t.fetch('/openapi.json')).json()) as Document;
    expect(document.openapi).toBe('3.1.0');
    expect(document.servers).toEqual([expect.objectContaining({ url: '/' })]);
    for (const route of routes) {
      const operation = document.paths[route.path]?.[route.method.toLowerCase()];
      expect(operation?.operationId, `${route.method} ${route.path}`).toBe(route.operationId);
      expect(operation!.responses['429']?.headers, route.operationId).toHaveProperty('Retry-After');
    }
    expect(Object.keys(document.webhooks).sort()).toEqual(['batch.completed', 'comparison.completed', 'review.decided']);
    expect(document.components.securitySchemes).toHaveProperty('bearerAuth');
  });
});

describe('/docs in headless Chromium', () => {
  it('renders the document and lists every operation', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${t.url}/docs`);
      await page.waitForSelector('details.operation');
      const listed = await page.$$eval('details.operation', (nodes) => nodes.map((node) => node.id));
      // Every route, plus the three webhook events the platform sends.
      expect(listed.sort()).toEqual(
        [...routes.map((route) => route.operationId), 'onBatchCompleted', 'onComparisonCompleted', 'onReviewDecided'].sort(),
      );
      for (const route of routes) {
        const summary = await page.textContent(`details[id="${route.operationId}"] summary`);
        expect(summary, route.operationId).toContain(route.path);
        expect(summary, route.operationId).toContain(route.method);
      }
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
