'use strict';
// The leader's Monday on the demo database (issue 14, done-when 2): the week
// view, open the most overdue case, refer it to a department, and see that
// department's load go up by one on the week view. Then the pages this work
// changed — the dashboard as of a quarter (horizontal category bars), the
// company page's one timeline with its filters, the card's photo strip and the
// leader's photo form — at 1280 and 390 px: screenshots in
// tests/e2e/screenshots/ (leader-*.png), no page wider than the viewport
// (document.documentElement.scrollWidth), axe 0 violations, nothing failed.
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const lib = require('./lib');

describe('the leader\'s Monday and the leader\'s pages', () => {
	let server;
	let browser;

	lib.serverAndBrowser({ demo: ['leader', 'executive'] }, (s, b) => { server = s; browser = b; });

	/** Opens p, checks width, axe and loads, and shoots it as name. */
	async function check(page, p, name, width) {
		page.problems.length = 0;
		const resp = await page.goto(server.base + p);
		assert.equal(resp.status(), 200, `${p} answers 200`);
		await lib.fontsReady(page);
		// before axe, whose injected styles the page's CSP refuses (as it should)
		assert.deepEqual(page.problems, [], `${p}: nothing failed to load`);
		const sw = await page.evaluate(() => document.documentElement.scrollWidth);
		assert.ok(sw <= width, `${p} is ${sw}px wide at ${width}px`);
		await lib.assertAxeClean(page, `${p} at ${width}px`);
		await lib.shoot(page, name);
	}

	/** The open-referral count of department name on the week view. */
	async function deptLoad(page, name) {
		await page.goto(server.base + '/week');
		const row = page.locator('#wk-dept-table tbody tr', { has: page.locator('th', { hasText: name }) });
		assert.equal(await row.count(), 1, `the week lists ${name}`);
		return Number(await row.locator('td[data-label="처리 중 요청"]').innerText());
	}

	it('walks the leader\'s Monday: week, most overdue case, refer, load up by one', async () => {
		const { context, page } = await lib.newPage(browser, lib.DESKTOP);
		try {
			await lib.signIn(page, server.base, 'leader', lib.PASSWORD);
			// 1. the week view: the department tables are not empty on the demo
			await check(page, '/week', 'leader-week-desktop', 1280);
			const depts = await page.locator('#wk-dept-table tbody tr').count();
			assert.ok(depts >= 8, `nine or ten departments on the week (the demo refers none to 건축과) (${depts})`);
			const open = await page.locator('#wk-dept-table tbody td[data-label="처리 중 요청"]').allInnerTexts();
			assert.ok(open.some((t) => Number(t) > 0), 'some department has open referrals');
			const dept = '투자유치과';
			const before = await deptLoad(page, dept);
			// 2. open the most overdue case (the first row: most days late)
			const first = page.locator('#wk-overdue-table tbody tr').first();
			assert.equal(await first.count(), 1, 'there is an overdue case');
			const caseNo = (await first.locator('th a').innerText()).trim();
			await Promise.all([page.waitForNavigation(), first.locator('th a').click()]);
			assert.match(page.url(), /\/cases\/\d+$/);
			assert.ok((await page.locator('main').innerText()).includes(caseNo), `the page of ${caseNo}`);
			// 3. refer it to the department (the panel may sit behind 다른 작업)
			const panel = page.locator('details', { has: page.locator('summary', { hasText: '부서에 이관하기' }) }).first();
			if (!(await panel.evaluate((d) => d.open))) {
				const other = page.locator('#other-actions');
				if (await other.count() && !(await other.evaluate((d) => d.open))) await other.locator('summary').first().click();
				await panel.locator('summary').click();
			}
			await panel.locator('select[name="lead"]').selectOption({ label: dept });
			await Promise.all([page.waitForNavigation(), panel.getByRole('button', { name: '이관' }).click()]);
			assert.match(await page.locator('main').innerText(), new RegExp(dept));
			await lib.shoot(page, 'leader-case-referred-desktop');
			// 4. the week view again: the department's load is one more
			const after = await deptLoad(page, dept);
			assert.equal(after, before + 1, `${dept}: ${before} open referrals before, ${after} after`);
			await lib.shoot(page, 'leader-week-after-desktop');
		} finally {
			await context.close();
		}
	});

	it('shows the changed pages at 1280 and 390 px, fitting and accessible', async () => {
		for (const [vp, tag] of [[lib.DESKTOP, 'desktop'], [lib.PHONE, 'phone']]) {
			const { context, page } = await lib.newPage(browser, vp);
			try {
				await lib.signIn(page, server.base, 'leader', lib.PASSWORD);
				// the dashboard as of a quarter, chosen with the selector (no script)
				await page.goto(server.base + '/dashboard');
				await page.locator('#dash-as-of').selectOption('2024-Q3');
				await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '보기' }).first().click()]);
				assert.match(page.url(), /as_of=2024-Q3/);
				assert.match(await page.locator('.app-page-sub').first().innerText(), /2024년 3분기 기준\(2024-09-30까지/);
				await check(page, '/dashboard?as_of=2024-Q3', `leader-dashboard-${tag}`, vp.width);
				const chart = page.locator('svg#bars-category, svg.app-chart-hbars').first();
				assert.equal(await chart.getAttribute('role'), 'img');
				const box = await chart.boundingBox();
				assert.ok(box.width <= vp.width, 'the category chart fits');
				assert.ok(box.height > 12 * 20, 'a bar a category, readable');
				// the company page's timeline: every kind, then only cases
				await page.goto(server.base + '/companies?sort=recent');
				const co = await page.evaluate(async () => {
					const r = await fetch('/api/v1/cases?sort=no&order=desc');
					const j = await r.json();
					return j.cases[0].company_id;
				});
				await check(page, `/companies/${co}`, `leader-company-${tag}`, vp.width);
				const all = await page.locator('.app-timeline-item').count();
				assert.ok(all > 1, 'the timeline has rows');
				await page.locator('#tl-kind').selectOption('case');
				await Promise.all([page.waitForNavigation(), page.locator('.app-timeline-filter button').click()]);
				assert.match(page.url(), /kind=case/);
				const kinds = await page.locator('.app-timeline-item .krds-badge').allInnerTexts();
				assert.ok(kinds.length > 0 && kinds.every((k) => k === '애로' || !['방문·회의', '개선사업'].includes(k)));
				await lib.shoot(page, `leader-company-cases-${tag}`);
				// the card's photo strip and the leader's form
				await check(page, '/card?as_of=2024-Q3', `leader-card-${tag}`, vp.width);
				assert.ok(await page.locator('.app-card-photos img').count() >= 2, 'the strip shows the demo photos');
				const loaded = await page.locator('.app-card-photos img').first().evaluate(async (img) => {
					img.loading = 'eager';
					img.scrollIntoView();
					if (!img.complete) await new Promise((r) => { img.onload = r; img.onerror = r; });
					return img.naturalWidth;
				});
				assert.equal(loaded, 240, 'a photo loads');
				await check(page, '/card/photos?as_of=2024-Q3', `leader-card-photos-${tag}`, vp.width);
			} finally {
				await context.close();
			}
		}
	});

	it('lets the leader choose the card\'s photos', async () => {
		const { context, page } = await lib.newPage(browser, lib.DESKTOP);
		try {
			await lib.signIn(page, server.base, 'leader', lib.PASSWORD);
			await page.goto(server.base + '/card?as_of=2024-Q3');
			await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: '이 분기 카드 사진 고르기' }).click()]);
			const item = page.locator('.app-cardphoto-item').nth(1);
			await item.locator('label', { hasText: '카드에 싣기' }).click();
			assert.ok(await item.getByLabel('카드에 싣기').isChecked());
			await item.getByLabel('순서').fill('1');
			await item.getByLabel('카드에 쓸 설명').fill('산업단지 현장 점검');
			await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '저장' }).click()]);
			assert.match(page.url(), /\/card\?program=1&as_of=2024-Q3/);
			const caps = await page.locator('.app-card-photos figcaption').allInnerTexts();
			assert.deepEqual(caps, ['산업단지 현장 점검']);
			assert.match(await page.locator('main').innerText(), /팀장이 고른 사진입니다/);
			await lib.shoot(page, 'leader-card-chosen-desktop');
		} finally {
			await context.close();
		}
	});
});
