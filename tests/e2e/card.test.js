'use strict';
// The pledge card, the dashboard, the progress page and the program page on
// the demo database: screenshots (desktop 1280 and phone 390, and the card
// printed on A4 through chromium's PDF, turned into PNG with pdftoppm) and
// axe-core with 0 violations. Screenshots go to tests/e2e/screenshots/.
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const lib = require('./lib');

describe('card and dashboards', () => {
	let server;
	let browser;
	lib.serverAndBrowser({ demo: ['staff', 'leader', 'executive'] }, (s, b) => { server = s; browser = b; });

	// Loads a page, checks nothing failed or was blocked by the CSP while it
	// loaded, screenshots it and runs axe (which itself sets inline styles).
	async function visit(page, url, name) {
		page.problems.length = 0;
		await page.goto(server.base + url);
		await lib.shoot(page, name);
		assert.deepEqual(page.problems, [], `${url}: no failed sub-resource or CSP report`);
		await lib.assertAxeClean(page, `${url} (${name})`);
	}


	for (const [size, viewport] of lib.SIZES) {
		it(`card, progress and program pages for the leader (${size})`, async () => {
			const { context, page } = await lib.newPage(browser, viewport);
			try {
				await lib.signIn(page, server.base, 'leader', lib.PASSWORD);
				await visit(page, '/card?as_of=2024-Q3', `card-${size}`);
				const text = await page.locator('article.app-card').innerText();
				for (const f of ['898', '884', '753', '85.2%', '308회', '155회', '13개소', '2024년 3분기']) {
					assert.ok(text.includes(f), `card shows ${f}`);
				}
				await visit(page, '/progress?year=2024&quarter=3', `progress-${size}`);
				await visit(page, '/program', `program-${size}`);
			} finally {
				await context.close();
			}
		});

		it(`dashboard for the executive (${size})`, async () => {
			const { context, page } = await lib.newPage(browser, viewport);
			try {
				await lib.signIn(page, server.base, 'executive', lib.PASSWORD);
				await visit(page, '/dashboard', `dashboard-${size}`);
				assert.ok(await page.locator('svg[role="img"] title').count() >= 5, 'charts have titles');
			} finally {
				await context.close();
			}
		});
	}

	it('card printed on A4 (PDF turned into PNG)', async () => {
		const { context, page } = await lib.newPage(browser, lib.DESKTOP);
		try {
			await lib.signIn(page, server.base, 'leader', lib.PASSWORD);
			await page.goto(server.base + '/card?as_of=2024-Q3');
			await page.emulateMedia({ media: 'print' });
			await lib.fontsReady(page);
			for (const sel of ['#krds-header', 'nav.krds-side-navigation', '.app-card-tools']) {
				assert.equal(await page.locator(sel).first().isVisible(), false, `${sel} is not printed`);
			}
			const pdf = path.join(lib.SCREENSHOTS, 'card-print.pdf');
			await page.pdf({ path: pdf, format: 'A4', printBackground: true, preferCSSPageSize: true });
			const r = spawnSync('pdftoppm', ['-png', '-r', '60', pdf, path.join(lib.SCREENSHOTS, 'card-print')]);
			assert.equal(r.status, 0, `pdftoppm: ${r.stderr}`);
			const pages = fs.readdirSync(lib.SCREENSHOTS).filter((f) => /^card-print-\d+\.png$/.test(f));
			assert.ok(pages.length >= 1 && pages.length <= 4, `the card prints on 1-4 A4 pages, got ${pages.length}`);
		} finally {
			await context.close();
		}
	});
});
