'use strict';
// The staff journey on a 390-px phone (issue 14, done-when 1): sign in → the
// visit form → company found by type-ahead → two grievances and a photo →
// saved → the visit page names the cases it created → both cases on the home
// page, first. Every interaction (tap, select, file pick) and every keystroke
// is counted and printed; the target is under 20 interactions besides typing.
// Then: the form's errors (summary at the top with links, focus on it, KRDS
// field errors), "이 기업 다른 애로 추가", the case page's link back to its
// visit, and the same form without JavaScript (search with one match chosen,
// photo sent multipart). Screenshots at 1280 and 390 px, axe, no overflow.
const { describe, it, before } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const lib = require('./lib');

const SHOTS = path.join(lib.SCREENSHOTS, 'phone');
// A 1×1 grey baseline JPEG (the same bytes as tests/http/test_field.c).
const TINY_JPEG = Buffer.from('/9j/2wBDAAEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQH/wAALCAABAAEBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAAAP/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AP//Z', 'base64');

/** Taps on a Korean phone keyboard for text: a Hangul syllable is 2 or 3 jamo
 * (a compound vowel or final counts as the two keys that make it). */
function phoneTaps(text) {
	const compoundV = new Set([9, 10, 11, 14, 15, 16, 19]); // ㅘㅙㅚㅝㅞㅟㅢ
	const compoundF = new Set([3, 5, 6, 9, 10, 11, 12, 13, 14, 15, 18]); // ㄳㄵㄶㄺㄻㄼㄽㄾㄿㅀㅄ
	const doubled = new Set([1, 4, 8, 10, 13]); // ㄲㄸㅃㅆㅉ (shift + key)
	let n = 0;
	for (const ch of text) {
		const c = ch.codePointAt(0);
		if (c >= 0xac00 && c <= 0xd7a3) {
			const s = c - 0xac00;
			const ini = Math.floor(s / 588), med = Math.floor((s % 588) / 28), fin = s % 28;
			n += 1 + (doubled.has(ini) ? 1 : 0) + (compoundV.has(med) ? 2 : 1) + (fin ? (compoundF.has(fin) ? 2 : 1) : 0);
		} else {
			n += 1;
		}
	}
	return n;
}

/** Counts what a person does: taps, selects, file picks, and the text typed. */
function counter(page) {
	const c = { interactions: 0, chars: 0, taps: 0, log: [] };
	return {
		c,
		async tap(loc, what) {
			c.interactions++;
			c.log.push(`tap ${what}`);
			await loc.click();
		},
		async type(loc, text, what) {
			c.interactions++; // the tap into the field
			c.chars += [...text].length;
			c.taps += phoneTaps(text);
			c.log.push(`type ${what} (${[...text].length} chars)`);
			await loc.click();
			await page.keyboard.type(text);
		},
		async select(loc, label, what) {
			c.interactions++;
			c.log.push(`select ${what}`);
			await loc.selectOption({ label });
		},
		async pick(loc, file, what) {
			c.interactions++;
			c.log.push(`pick ${what}`);
			await loc.setInputFiles(file);
		},
	};
}

async function shot(page, name) {
	await lib.fontsReady(page);
	await page.screenshot({ path: path.join(SHOTS, name), fullPage: true });
}

/** axe and screenshots at 1280 and 390 px; the page no wider than the phone. */
async function bothWidths(page, label, file) {
	await page.setViewportSize(lib.DESKTOP);
	await lib.assertAxeClean(page, `${label} at 1280 px`);
	await shot(page, `${file}-1280.png`);
	await page.setViewportSize(lib.PHONE);
	const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
	assert.ok(over <= 0, `${label} is ${over}px wider than a 390-px phone`);
	await lib.assertAxeClean(page, `${label} at 390 px`);
	await shot(page, `${file}-390.png`);
}

describe('staff on a phone', () => {
	let server;
	let browser;
	const ids = {};

	lib.serverAndBrowser({}, (s, b) => { server = s; browser = b; });
	before(async () => {
		fs.mkdirSync(SHOTS, { recursive: true });
		const leader = lib.token(server.db, 'leader');
		ids.company = await lib.newCompany(server, leader, { name: '한빛정밀', brn: '120-81-47521' });
		ids.closed = await lib.newCompany(server, leader, { name: '새벽식품', brn: '220-81-62517' });
		await lib.newCompany(server, leader, { name: '새벽물산', brn: '101-86-11110' });
		// 새벽식품 is 휴업 by the last NTS check
		const q = spawnSync('sqlite3', [server.db, `INSERT INTO company_status (company_id, status_cd, status, checked_at, pending) VALUES (${ids.closed}, '02', '휴업자', '2026-01-05T01:00:00Z', 0) ON CONFLICT (company_id) DO UPDATE SET status_cd = '02', status = '휴업자', checked_at = '2026-01-05T01:00:00Z', pending = 0`], { encoding: 'utf8' });
		assert.equal(q.status, 0, q.stderr);
	});

	it('the journey: sign in, a visit with two grievances and a photo by type-ahead, both cases on the home page', async () => {
		const { context, page } = await lib.newPage(browser, lib.PHONE);
		try {
			const t0 = Date.now();
			const u = counter(page);
			await page.goto(server.base + '/');
			await page.waitForURL(/\/login/);
			await u.type(page.getByLabel('아이디'), 'staff', '아이디');
			await u.type(page.getByLabel('비밀번호'), server.password, '비밀번호');
			await Promise.all([page.waitForNavigation(), u.tap(page.getByRole('button', { name: '로그인' }), '로그인')]);
			await Promise.all([page.waitForURL(/\/visits\/new$/), u.tap(page.getByRole('link', { name: '현장 방문 기록' }), '현장 방문 기록')]);

			// type-ahead: two letters, one match, chosen without a tap
			await u.type(page.getByLabel('기업 찾기'), '한빛', '기업 찾기');
			const chosen = page.locator('#visit-companies input[name="company_id"]:checked');
			await chosen.waitFor();
			assert.equal(await chosen.inputValue(), String(ids.company));
			assert.match(await page.locator('#company-status').innerText(), /1곳을 찾아 골랐습니다: 한빛정밀/);

			await u.type(page.getByLabel('방문 내용'), '도장 라인 증설 현장 확인. 진입로가 좁아 화물차 통행이 어려움.', '방문 내용');
			await u.pick(page.getByLabel('현장 사진 (선택)'), { name: 'yard.jpg', mimeType: 'image/jpeg', buffer: TINY_JPEG }, '현장 사진');
			await page.locator('#photos-picked img').first().waitFor();
			await u.type(page.locator('#g1_title'), '공장 진입로 확장 요청', '애로 1 제목');
			await u.select(page.locator('#g1_category'), '기반시설', '애로 1 분야');
			await u.tap(page.getByRole('button', { name: '애로사항 하나 더 적기' }), '애로사항 하나 더');
			await u.type(page.locator('#g2_title'), '생산직 인력 채용 지원', '애로 2 제목');
			await u.select(page.locator('#g2_category'), '인력', '애로 2 분야');
			await Promise.all([page.waitForURL(/\/activities\/\d+\?new_from=0$/),
				u.tap(page.getByRole('button', { name: '방문 기록 저장' }), '방문 기록 저장')]);

			// the visit page says what was created, with the case numbers as links
			const created = page.locator('#created');
			assert.match(await created.locator('h2').innerText(), /접수된 기업애로\(SOS\) 사건 2건/);
			const links = created.locator('a.app-case-no');
			assert.equal(await links.count(), 2);
			for (let i = 0; i < 2; i++) assert.match(await links.nth(i).innerText(), /^SOS-\d{4}-\d{4}/);
			ids.caseNos = await links.allInnerTexts();
			ids.visit = Number(new URL(page.url()).pathname.split('/').pop());
			assert.equal(await page.locator('.app-photo img').count(), 1, 'the photo was saved with the visit');
			assert.equal(await created.getByRole('link', { name: '이 기업 다른 애로 추가' }).getAttribute('href'), `/visits/${ids.visit}/grievances`);
			assert.equal(await created.getByRole('link', { name: '새 방문' }).getAttribute('href'), '/visits/new');
			const flash = page.locator('.app-flash-success');
			assert.equal(await flash.count(), 1, 'the success flash');
			await shot(page, 'visit-just-saved-390.png');
			await flash.screenshot({ path: path.join(SHOTS, 'flash-success-390.png') });

			await Promise.all([page.waitForNavigation(), u.tap(page.locator('a.app-brand'), '홈')]);
			const recent = page.locator('#home-my_recent-list > li');
			await recent.first().waitFor();
			const firstTwo = [await recent.nth(0).innerText(), await recent.nth(1).innerText()].join('\n');
			assert.match(firstTwo, /생산직 인력 채용 지원/);
			assert.match(firstTwo, /공장 진입로 확장 요청/);
			const order = await page.evaluate(() => [...document.querySelectorAll('main h2')].map((h) => h.id));
			assert.ok(order.indexOf('home-my_recent') >= 0 && order.indexOf('home-my_recent') < order.indexOf('home-my_cases'),
				`the recent cases come before the deadline list (${order.join(', ')})`);
			const secs = ((Date.now() - t0) / 1000).toFixed(1);
			const c = u.c;
			console.log(`staff journey at 390 px: ${c.interactions} interactions (taps, selects, file picks; each field tapped once counted), ` +
				`${c.chars} characters typed (about ${c.taps} taps on a Korean phone keyboard), ${secs} s in the browser\n  ` + c.log.join('\n  '));
			assert.ok(c.interactions < 20, `under 20 interactions (${c.interactions})`);
			await bothWidths(page, 'staff home after the visit', 'home-staff');
		} finally {
			await context.close();
		}
	});

	it('the saved visit, more grievances for the same company, the case page back to its visit', async () => {
		const { context, page } = await lib.newPage(browser, lib.PHONE);
		try {
			await lib.signIn(page, server.base, 'staff', server.password);
			await page.goto(`${server.base}/activities/${ids.visit}?new_from=0`);
			await bothWidths(page, 'the saved visit', 'visit-saved');
			await Promise.all([page.waitForURL(/\/grievances$/), page.locator('#created').getByRole('link', { name: '이 기업 다른 애로 추가' }).click()]);
			assert.match(await page.locator('.app-page-sub').innerText(), /한빛정밀/);
			await bothWidths(page, 'more grievances', 'visit-more');
			// nothing typed: an error summary
			await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '애로사항 접수' }).click()]);
			assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), 'error-summary');
			await page.locator('#g1_title').fill('폐수 처리 인허가 문의');
			await page.locator('#g1_category').selectOption({ label: '인허가·규제' });
			await Promise.all([page.waitForURL(/new_from=2$/), page.getByRole('button', { name: '애로사항 접수' }).click()]);
			assert.match(await page.locator('#created h2').innerText(), /1건/);
			assert.match(await page.locator('#created').innerText(), /폐수 처리 인허가 문의/);
			const v = await (await page.context().request.get(`${server.base}/api/v1/activities/${ids.visit}`)).json();
			assert.equal(v.cases.length, 3, 'three cases on the visit');
			const caseHref = await page.locator('#created a.app-case-no').getAttribute('href');
			// the case page links back to the visit it came from
			await page.goto(server.base + caseHref);
			const back = page.locator('#case-visit a');
			assert.equal(await back.getAttribute('href'), `/activities/${ids.visit}`);
			// 처리: the next step is the one open panel; the rest wait behind 다른 작업
			const act = await page.evaluate(() => {
				const sec = document.querySelector('section[aria-labelledby="act-title"]');
				if (!sec) return null;
				const other = sec.querySelector('#other-actions');
				const open = [...sec.querySelectorAll('details.app-action[open]')].filter((d) => !other || !other.contains(d));
				return { next: !!sec.querySelector('#next-step'), open: open.length, other: !!other, otherOpen: !!(other && other.open) };
			});
			assert.ok(act && act.other, '다른 작업 is there');
			if (act.next) {
				assert.ok(act.open <= 1, `one open panel at most (${act.open})`);
				assert.equal(act.otherOpen, false, '다른 작업 starts closed');
			}
			await bothWidths(page, 'a case raised at the visit (staff)', 'case-from-visit');
		} finally {
			await context.close();
		}
	});

	it('errors: a summary at the top with links, focus on it, KRDS field errors; 휴업 flagged in the type-ahead', async () => {
		const { context, page } = await lib.newPage(browser, lib.PHONE);
		try {
			await lib.signIn(page, server.base, 'staff', server.password);
			await page.goto(server.base + '/visits/new');
			await page.getByLabel('기업 찾기').fill('새벽');
			await page.locator('#visit-companies li').nth(1).waitFor();
			assert.match(await page.locator('#company-status').innerText(), /2곳을 찾았습니다/);
			assert.equal(await page.locator('#visit-companies input:checked').count(), 0, 'two matches: none chosen');
			assert.match(await page.locator('#visit-companies').innerText(), /새벽식품[\s\S]*국세청: 휴업자/);
			await page.getByLabel('현장 사진 (선택)').setInputFiles({ name: 'yard.jpg', mimeType: 'image/jpeg', buffer: TINY_JPEG });
			await page.locator('#photos-picked img').first().waitFor();
			await bothWidths(page, 'the visit form with type-ahead results and a photo', 'visit-typeahead');
			await page.setViewportSize(lib.PHONE);
			await page.locator('#g1_title').fill('제목만 있는 애로');
			await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '방문 기록 저장' }).click()]);
			const summary = page.locator('#error-summary');
			await summary.waitFor();
			assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), 'error-summary', 'focus on the summary');
			const items = await summary.locator('a').allInnerTexts();
			assert.ok(items.length >= 3, `company, summary and the grievance's category (${items.join(' / ')})`);
			assert.equal(await page.locator('#g1_category').getAttribute('aria-invalid'), 'true');
			assert.equal(await page.locator('.form-group.is-error #summary').count(), 1, 'KRDS error state on the field');
			await bothWidths(page, 'the visit form with errors', 'visit-errors');
			await summary.getByRole('link', { name: /분야/ }).click();
			assert.equal(await page.evaluate(() => document.activeElement.id), 'g1_category', 'the link goes to the field');
		} finally {
			await context.close();
		}
	});

	it('without JavaScript: the search submits, one match is chosen, the photo goes with the form', async () => {
		const { context, page } = await lib.newPage(browser, lib.PHONE, { javaScriptEnabled: false });
		try {
			await lib.signIn(page, server.base, 'staff', server.password);
			await page.goto(server.base + '/visits/new');
			await page.getByLabel('기업 찾기').fill('한빛');
			await page.getByRole('button', { name: '검색' }).focus();
			await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
			assert.equal(await page.locator(`#company-${ids.company}`).isChecked(), true, 'the single match is chosen');
			await page.getByLabel('방문 내용').fill('자바스크립트 없이 사진과 함께');
			await page.getByLabel('현장 사진 (선택)').setInputFiles({ name: 'a.jpg', mimeType: 'image/jpeg', buffer: TINY_JPEG });
			await page.getByRole('button', { name: '방문 기록 저장' }).focus();
			await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
			assert.match(page.url(), /\/activities\/\d+\?new_from=0$/);
			assert.equal(await page.locator('.app-photo img').count(), 1);
			assert.match(await page.locator('#created h2').innerText(), /애로사항 없이 방문 기록만 저장했습니다/);
		} finally {
			await context.close();
		}
	});
});
