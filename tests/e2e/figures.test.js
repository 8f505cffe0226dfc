'use strict';
// Issue 8, point 1 in a phone's browser (390 px): the budget-entry form sent
// with an error comes back with the error summary at the top, focused, listing
// the field, and every value typed still in its place (the budget line too);
// the page has no horizontal scroll, no CSP report and 0 axe violations.
// Screenshots of the summary at 390 and 1280 px go to tests/e2e/screenshots/.
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const lib = require('./lib');

describe('budget entry: the error summary and the typed values', () => {
	let server;
	let browser;
	lib.serverAndBrowser({ demo: ['leader'] }, (s, b) => { server = s; browser = b; });

	for (const [size, viewport] of [['phone', lib.PHONE], ['desktop', lib.DESKTOP]]) {
		it(`a refused entry comes back whole, the summary focused (${size})`, async () => {
			const { context, page } = await lib.newPage(browser, viewport);
			try {
				await lib.signIn(page, server.base, 'leader', lib.PASSWORD);
				await page.goto(server.base + '/program#executions');
				const line = page.locator('#e-line');
				// a line other than the first, so that a reset would show
				const options = await line.locator('option').evaluateAll(
					(os) => os.map((o) => ({ value: o.value, label: o.textContent })));
				assert.ok(options.length > 1, 'several budget lines');
				const pick = options.find((o) => o.label.startsWith('2024')) || options[options.length - 1];
				await line.selectOption(pick.value);
				// a date outside the line's year: refused with a field error
				await page.fill('#e-on', '2019-08-16');
				await page.fill('#e-amount', '1234567');
				await page.fill('#e-memo', '하반기 집행분');
				await page.fill('#e-grant', '');
				await page.locator('label[for="e-confirm"]').click();
				assert.ok(await page.isChecked('#e-confirm'), 'ticked');
				await page.fill('#e-reason', '추경 반영 예정');
				page.problems.length = 0;
				await Promise.all([
					page.waitForNavigation(),
					page.getByRole('button', { name: '집행 기록' }).click(),
				]);
				// the summary is at the top, has the focus and lists the date field
				const summary = page.locator('#error-summary');
				await summary.waitFor();
				await page.waitForFunction(() => document.activeElement &&
					document.activeElement.id === 'error-summary');
				const box = await summary.boundingBox();
				const main = await page.locator('main h1').first().boundingBox();
				assert.ok(box && main && box.y < main.y, 'the summary comes before the page heading');
				const link = summary.locator('a[data-field="executed_on"]');
				assert.equal(await link.count(), 1, 'the summary lists the date field');
				assert.match(await link.innerText(), /2019|연도|사이/);
				assert.equal(await link.getAttribute('href'), '#e-on');
				// every typed value is still there, the line too
				assert.equal(await line.inputValue(), pick.value, 'the budget line kept');
				assert.equal(await page.inputValue('#e-on'), '2019-08-16');
				assert.equal(await page.inputValue('#e-amount'), '1234567');
				assert.equal(await page.inputValue('#e-memo'), '하반기 집행분');
				assert.equal(await page.inputValue('#e-reason'), '추경 반영 예정');
				assert.ok(await page.isChecked('#e-confirm'), 'the confirmation stays ticked');
				await lib.fontsReady(page);
				const file = path.join(lib.SCREENSHOTS, `figures-summary-${size}.png`);
				await page.screenshot({ path: file });
				// following the link puts the focus on the field
				await link.click();
				await page.waitForFunction(() => document.activeElement &&
					document.activeElement.id === 'e-on');
				const width = await page.evaluate(() => document.documentElement.scrollWidth);
				assert.ok(width <= viewport.width, `page ${width}px wide at ${viewport.width}px`);
				// the refused form itself answers 422 on purpose; nothing else may fail
				const problems = page.problems.filter((p) => !/status of 422 .*\/program\/executions\)$/.test(p));
				assert.deepEqual(problems, [], 'no failed sub-resource or CSP report');
				await lib.assertAxeClean(page, `/program 422 (${size})`);
			} finally {
				await context.close();
			}
		});
	}
});

// Issue 8, point 2 and "also": the execution list (filters, total, a row's
// correction form open) and an activity's edit/retire section, axe-clean and
// no wider than the screen, with screenshots at 390 and 1280 px.
describe('execution list and activity changes', () => {
	let server;
	let browser;
	lib.serverAndBrowser({ demo: ['leader'] }, (s, b) => { server = s; browser = b; });

	for (const [size, viewport] of [['phone', lib.PHONE], ['desktop', lib.DESKTOP]]) {
		it(`the execution list and an activity's changes (${size})`, async () => {
			const { context, page } = await lib.newPage(browser, viewport);
			try {
				await lib.signIn(page, server.base, 'leader', lib.PASSWORD);
				await page.goto(server.base + '/program/executions?year=2024&source=city');
				await page.locator('#x-total').waitFor();
				assert.match(await page.locator('#x-total').innerText(), /집행 합계 [\d,]+원/);
				await page.locator('tbody details summary').first().click();
				await lib.fontsReady(page);
				await page.screenshot({ path: path.join(lib.SCREENSHOTS, `figures-executions-${size}.png`), fullPage: true });
				let width = await page.evaluate(() => document.documentElement.scrollWidth);
				assert.ok(width <= viewport.width, `list ${width}px wide at ${viewport.width}px`);
				await lib.assertAxeClean(page, `/program/executions (${size})`);
				await page.goto(server.base + '/activities');
				const href = await page.locator('a[href^="/activities/"]').evaluateAll(
					(as) => as.map((a) => a.getAttribute('href')).find((h) => /^\/activities\/\d+$/.test(h)));
				assert.ok(href, 'an activity to open');
				await page.goto(server.base + href + '#edit');
				await page.locator('#edit details summary').first().click();
				await lib.fontsReady(page);
				await page.screenshot({ path: path.join(lib.SCREENSHOTS, `figures-activity-edit-${size}.png`), fullPage: true });
				width = await page.evaluate(() => document.documentElement.scrollWidth);
				assert.ok(width <= viewport.width, `activity ${width}px wide at ${viewport.width}px`);
				await lib.assertAxeClean(page, `activity edit (${size})`);
			} finally {
				await context.close();
			}
		});
	}
});
