'use strict';
// The leader's week and the lists on a phone, on the demo database: /week at
// 1280 and 390 px (the reasons and the load tables are there, the numbers
// link to lists); the lists that become cards on a phone (cases, companies,
// grants, activities), /grants, the dashboard and the card at 390 px — none
// wider than the screen (document.documentElement.scrollWidth <= 390), axe 0
// violations, nothing failed to load; screenshots in tests/e2e/screenshots/
// (week-desktop.png, phone-<page>.png).
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const lib = require('./lib');

describe('the leader\'s week and lists on a phone', () => {
	let server;
	let browser;

	lib.serverAndBrowser({ demo: ['staff', 'leader'] }, (s, b) => { server = s; browser = b; });

	async function shoot(page, name) {
		await lib.shoot(page, name);
	// the first list on the screen, unscaled, to look at the cards
		const table = page.locator('table.app-table-cards, table.app-table').first();
		if (page.viewportSize().width < 800 && await table.count()) {
			await table.scrollIntoViewIfNeeded();
			await page.screenshot({ path: path.join(lib.SCREENSHOTS, `${name}-list.png`) });
		}
	}

	async function check(page, pathname, name, phone) {
		page.problems.length = 0;
		await page.goto(server.base + pathname);
		if (phone) {
			const w = await page.evaluate(() => document.documentElement.scrollWidth);
			const wide = w <= 390 ? [] : await page.evaluate(() => [...document.querySelectorAll('body *')]
				.filter((e) => e.getBoundingClientRect().right > 391 && ![...e.children].some((c) => c.getBoundingClientRect().right > 391))
				.slice(0, 6).map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)} ${e.parentElement.tagName}/${getComputedStyle(e.parentElement).display}/${e.closest('table') ? e.closest('table').id : ''}`));
			assert.ok(w <= 390, `${pathname} is ${w}px wide on a 390px phone: ${wide.join(', ')}`);
		}
		const problems = page.problems.filter((x) => !/net::ERR_ABORTED$/.test(x));
		assert.deepEqual(problems, [], `${pathname}: nothing failed to load`);
		await lib.assertAxeClean(page, name);
		await shoot(page, name);
	}

	it('shows the week with reasons and loads, at 1280 and 390 px', async () => {
		for (const [size, viewport] of [['desktop', lib.DESKTOP], ['phone', lib.PHONE]]) {
			const { context, page } = await lib.newPage(browser, viewport);
			try {
				await lib.signIn(page, server.base, 'leader', lib.PASSWORD);
				// the home page carries the week's summary and links to it
				assert.equal(await page.locator('#home-week-stats').count(), 1);
				await check(page, '/', `week-home-${size}`, size === 'phone');
				await check(page, '/week', `week-${size}`, size === 'phone');
				await page.getByRole('heading', { name: '담당자별 업무량' }).waitFor();
				await page.getByRole('heading', { name: '부서별 처리 현황' }).waitFor();
				const overdue = Number((await page.locator('[data-count="overdue"]').innerText()).replace(/\D/g, ''));
				const rows = await page.locator('#wk-overdue-table tbody tr').count();
				assert.equal(rows, Math.min(overdue, 30), 'every overdue case (up to 30) has a row with its reason');
				if (rows > 0) {
					const reason = await page.locator('#wk-overdue-table tbody tr').first().getAttribute('data-reason');
					assert.ok(['department', 'company', 'us'].includes(reason));
				}
				// a staff member's open count is the length of the list it links to
				const link = page.locator('#wk-staff-table tbody tr td[data-label="처리 중"] a').first();
				if (await link.count()) {
					const n = Number(await link.innerText());
					await Promise.all([page.waitForNavigation(), link.click()]);
					const total = await page.evaluate(async () => {
						const r = await fetch('/api/v1' + location.pathname + location.search);
						return (await r.json()).total;
					});
					assert.equal(total, n, 'the linked list has as many cases as the week says');
				}
			} finally {
				await context.close();
			}
		}
	});

	it('marks Saturdays, Sundays, holidays and today on the calendar', async () => {
		const { context, page } = await lib.newPage(browser, lib.DESKTOP);
		try {
			await lib.signIn(page, server.base, 'leader', lib.PASSWORD);
			await check(page, '/activities/calendar?year=2026&month=10', 'calendar-2026-10-desktop', false);
			const hangul = page.locator('td.app-cal-day.is-holiday', { hasText: '한글날' });
			assert.equal(await hangul.count(), 1, '한글날 is marked as a holiday');
			const sat = page.locator('td.app-cal-day.is-saturday:not(.is-holiday):not(.is-other)').first();
			assert.equal(await sat.evaluate((td) => getComputedStyle(td.querySelector('.app-cal-date')).color),
				'rgb(11, 80, 208)', 'a Saturday is blue');
			await page.goto(server.base + '/activities/calendar');
			assert.equal(await page.locator('td.app-cal-day.is-today [aria-current="date"]').count(), 1, 'today is marked');
			// the progress page: a roadmap status stays on one line
			await page.goto(server.base + '/progress');
			const cells = page.locator('td.app-roadmap-status');
			for (let i = 0; i < await cells.count(); i++) {
				const h = await cells.nth(i).evaluate((td) => td.getBoundingClientRect().height);
				assert.ok(h < 60, `roadmap status cell ${i} is ${h}px high (wrapped)`);
			}
			await shoot(page, 'progress-desktop');
		} finally {
			await context.close();
		}
	});

	it('fits the lists, grants, dashboard and card on a 390-px phone', async () => {
		const { context, page } = await lib.newPage(browser, lib.PHONE);
		try {
			await lib.signIn(page, server.base, 'leader', lib.PASSWORD);
			for (const [p, name] of [['/cases', 'cases'], ['/companies', 'companies'],
				['/grants', 'grants'], ['/activities', 'activities'], ['/activities/calendar', 'calendar'], ['/progress', 'progress'],
				['/dashboard', 'dashboard'],
				['/card', 'card']]) {
				await check(page, p, `phone-${name}`, true);
			}
			// a list row is a card: its cells stack, each with its column name
			await page.goto(server.base + '/cases');
			const display = await page.locator('table.app-table-cards tbody tr').first()
				.evaluate((tr) => getComputedStyle(tr).display);
			assert.equal(display, 'flex', 'a case row is a card on the phone');
			const label = await page.locator('table.app-table-cards tbody tr td[data-label]').first()
				.evaluate((td) => getComputedStyle(td, '::before').content);
			assert.ok(label && label !== 'none', 'each cell shows its column name');
		} finally {
			await context.close();
		}
	});
});
