/* 기업SOS — the phone form's safety net (progressive enhancement only: the form
 * works without this file). While a visit is typed, everything is kept in
 * localStorage; after a failed submit (no network in the factory yard) or a
 * reload, the draft is offered again, with the form's idempotency key, so a
 * resend can never create the visit twice. The visit's page clears the draft
 * whose key it was saved with. "Add another grievance" adds a row in place.
 * A draft belongs to the signed-in user (its storage key names the login, from
 * <body data-user>): the next person on a shared phone is never offered it,
 * and signing out removes every draft (app.js). */
(function () {
	'use strict';
	var user = document.body && document.body.getAttribute('data-user');
	try { window.localStorage.removeItem('bizsos.visitDraft.v1'); } catch (e) { /* the unkeyed draft of older versions */ }
	if (!user) return;
	var STORE = 'bizsos.visitDraft.v2:' + user;

	function load() {
		try {
			var d = JSON.parse(window.localStorage.getItem(STORE) || 'null');
			return d && d.key && d.fields ? d : null;
		} catch (e) {
			return null;
		}
	}
	function save(d) {
		try { window.localStorage.setItem(STORE, JSON.stringify(d)); } catch (e) { /* full or blocked */ }
	}
	function clear() {
		try { window.localStorage.removeItem(STORE); } catch (e) { /* blocked */ }
	}

	/* "Add another grievance" in place, for a form without the draft. */
	function rowsOnly(f) {
		var box = document.getElementById('visit-grievances');
		var rowsInput = document.getElementById('visit-rows');
		var btn = document.getElementById('visit-add-grievance');
		if (!box || !rowsInput || !btn) return;
		btn.addEventListener('click', function (ev) {
			ev.preventDefault();
			var row = cloneRow(box, rowsInput);
			if (row) row.querySelector('input').focus();
		});
	}

	/* A new empty grievance row, cloned from the last one with its numbers moved on. */
	function cloneRow(box, rowsInput) {
		var all = box.querySelectorAll('.app-grievance');
		var last = all[all.length - 1];
		var n = all.length + 1;
		if (!last || n > 20) return null;
		var from = 'g' + last.getAttribute('data-n') + '_';
		var to = 'g' + n + '_';
		var row = last.cloneNode(true);
		row.setAttribute('data-n', String(n));
		row.querySelector('legend').textContent = '애로사항 ' + n;
		var bad = row.querySelectorAll('.form-hint-invalid');
		for (var i = 0; i < bad.length; i++) bad[i].parentNode.removeChild(bad[i]);
		var groups = row.querySelectorAll('.is-error');
		for (i = 0; i < groups.length; i++) groups[i].classList.remove('is-error');
		var els = row.querySelectorAll('[id],[name],[for],[aria-describedby]');
		for (i = 0; i < els.length; i++) {
			['id', 'name', 'for'].forEach(function (a) {
				var v = els[i].getAttribute(a);
				if (v) els[i].setAttribute(a, v.split(from).join(to));
			});
			els[i].removeAttribute('aria-invalid');
			els[i].removeAttribute('aria-describedby');
			if (els[i].tagName === 'SELECT') els[i].selectedIndex = 0;
			else if (els[i].tagName === 'INPUT' || els[i].tagName === 'TEXTAREA') els[i].value = '';
		}
		last.parentNode.insertBefore(row, last.nextSibling);
		rowsInput.value = String(n);
		return row;
	}

	/* The company search answers as you type: GET /companies/lookup (JSON) a
	 * moment after the last keystroke; the results replace the list below
	 * (the company already chosen stays); a single match is chosen at once;
	 * 휴업·폐업 show as a badge. The 검색 button and Enter search at once
	 * instead of sending the form (without JS they send it: the server
	 * searches and renders the form again). */
	function companySearch(f) {
		var q = document.getElementById('company_q');
		var list = document.getElementById('visit-companies');
		var status = document.getElementById('company-status');
		var btn = document.getElementById('company-search');
		if (!q || !list || !status || !window.fetch) return;
		var timer = null, seq = 0, lastQ = null;
		function say(t) { status.textContent = t; }
		function item(c, checked) {
			var li = document.createElement('li');
			li.className = 'krds-form-check';
			var r = document.createElement('input');
			r.type = 'radio';
			r.name = 'company_id';
			r.value = String(c.id);
			r.id = 'company-' + String(c.id).replace(/[^0-9]/g, '');
			r.checked = checked;
			var lab = document.createElement('label');
			lab.htmlFor = r.id;
			lab.appendChild(document.createTextNode(c.name + ' '));
			var sub = document.createElement('span');
			sub.className = 'app-subtle';
			sub.textContent = '(' + (c.brn_text || '') + ')';
			lab.appendChild(sub);
			if (c.biz_status && c.biz_status.flagged) {
				lab.appendChild(document.createTextNode(' '));
				var b = document.createElement('span');
				b.className = 'krds-badge bg-light-danger app-biz-flag';
				b.textContent = '국세청: ' + c.biz_status.label;
				lab.appendChild(b);
			}
			li.appendChild(r);
			li.appendChild(lab);
			return li;
		}
		function show(results) {
			var kept = list.querySelector('input[name="company_id"]:checked');
			var keptId = kept ? kept.value : null;
			var lis = list.querySelectorAll('li');
			for (var i = 0; i < lis.length; i++) {
				if (!keptId || !lis[i].contains(kept)) lis[i].parentNode.removeChild(lis[i]);
			}
			var only = results.length === 1;
			results.forEach(function (c) {
				if (String(c.id) === keptId) {
					if (only) kept.checked = true;
					return;
				}
				list.appendChild(item(c, only));
			});
			if (only) {
				var flag = results[0].biz_status && results[0].biz_status.flagged ? ' (국세청: ' + results[0].biz_status.label + ')' : '';
				say('기업 1곳을 찾아 골랐습니다: ' + results[0].name + flag);
			} else if (results.length) {
				say('기업 ' + results.length + '곳을 찾았습니다. 방문한 기업을 고르세요.');
			} else {
				say('찾는 기업이 없습니다. 아래 "목록에 없는 기업 새로 등록하기"에 입력해 주세요.');
			}
			f.dispatchEvent(new Event('change')); /* the draft keeps the choice */
		}
		function search(now) {
			var text = q.value.trim();
			if (timer) window.clearTimeout(timer);
			if (!text) { say(''); lastQ = null; return; }
			if (!now && text === lastQ) return;
			timer = window.setTimeout(function () {
				var mine = ++seq;
				lastQ = text;
				say('찾는 중…');
				window.fetch('/companies/lookup?q=' + encodeURIComponent(text), {
					headers: { Accept: 'application/json' }, credentials: 'same-origin',
				}).then(function (r) {
					return r.json().then(function (j) { return { ok: r.ok, j: j }; });
				}).then(function (res) {
					if (mine !== seq) return; /* a later search is on its way */
					if (!res.ok) {
						say((res.j && res.j.error && res.j.error.message) || '검색어를 확인해 주세요.');
						return;
					}
					show(res.j.results || []);
				}).catch(function () {
					if (mine === seq) say('지금은 찾을 수 없습니다. 검색 버튼을 눌러 다시 찾아 주세요.');
					lastQ = null;
				});
			}, now ? 0 : 250);
		}
		q.addEventListener('input', function () { search(false); });
		q.addEventListener('keydown', function (ev) {
			if (ev.key === 'Enter') { ev.preventDefault(); search(true); }
		});
		if (btn) btn.addEventListener('click', function (ev) { ev.preventDefault(); search(true); });
		/* a form shown again (errors) keeps the words typed: show their matches again */
		if (q.value.trim() && !list.querySelector('input[name="company_id"]')) search(true);
	}

	/* The photos picked or taken: a small preview of each (drawn on a canvas:
	 * the CSP allows no blob: images) and, where the browser can, each photo
	 * scaled down to 2000 px JPEG before it is sent (a phone camera's 5 MB
	 * photo on a weak connection in the yard; a HEIC photo, which the server
	 * does not take, made a JPEG). */
	function photoPicks(f) {
		var input = document.getElementById('photos');
		var out = document.getElementById('photos-picked');
		if (!input || !out) return;
		var busy = false;
		input.addEventListener('change', function () {
			if (busy) return;
			var files = Array.prototype.slice.call(input.files || []);
			while (out.firstChild) out.removeChild(out.firstChild);
			out.hidden = files.length === 0;
			if (!files.length || !window.createImageBitmap) return;
			busy = true;
			var shrunk = [];
			Promise.all(files.map(function (file, i) {
				var li = document.createElement('li');
				li.className = 'app-photo-pick';
				var cap = document.createElement('span');
				cap.textContent = '사진 ' + (i + 1);
				out.appendChild(li);
				return window.createImageBitmap(file).then(function (bmp) {
					var tw = 96, th = Math.max(1, Math.round(96 * bmp.height / bmp.width));
					var thumb = document.createElement('canvas');
					thumb.width = tw;
					thumb.height = th;
					thumb.getContext('2d').drawImage(bmp, 0, 0, tw, th);
					var img = document.createElement('img');
					img.src = thumb.toDataURL('image/jpeg', 0.7);
					img.alt = '고른 사진 ' + (i + 1);
					img.width = tw;
					img.height = th;
					li.appendChild(img);
					li.appendChild(cap);
					var max = 2000, scale = Math.min(1, max / Math.max(bmp.width, bmp.height));
					/* HEIC and other types the server refuses become JPEG too */
					var known = /^image\/(jpeg|png|webp)$/.test(file.type);
					if (known && scale >= 1 && file.size < 2 * 1024 * 1024) { shrunk[i] = file; return; }
					var c = document.createElement('canvas');
					c.width = Math.round(bmp.width * scale);
					c.height = Math.round(bmp.height * scale);
					c.getContext('2d').drawImage(bmp, 0, 0, c.width, c.height);
					return new Promise(function (res) {
						c.toBlob(function (blob) {
							shrunk[i] = blob && (blob.size < file.size || !known)
								? new File([blob], (file.name || 'photo').replace(/\.[^.]*$/, '') + '.jpg', { type: 'image/jpeg' })
								: file;
							res();
						}, 'image/jpeg', 0.85);
					});
				}).catch(function () { li.appendChild(cap); shrunk[i] = file; });
			})).then(function () {
				try {
					if (shrunk.some(function (x, i) { return x !== files[i]; }) && window.DataTransfer) {
						var dt = new DataTransfer();
						shrunk.forEach(function (x) { dt.items.add(x); });
						input.files = dt.files;
					}
				} catch (e) { /* keep the files as picked */ }
				busy = false;
			});
		});
	}

	/* On the visit's page: the draft that made it is done. */
	var saved = document.getElementById('visit-saved');
	if (saved) {
		var d0 = load();
		if (d0 && d0.key === saved.getAttribute('data-visit-key')) clear();
		return;
	}

	var form = document.getElementById('visit-form');
	var more = document.getElementById('visit-more-form');
	if (!form && more) {
		/* "이 기업 다른 애로 추가": rows added in place, no draft */
		rowsOnly(more);
		return;
	}
	if (!form) return;
	companySearch(form);
	photoPicks(form);
	var keyInput = form.querySelector('input[name="idempotency_key"]');
	var rowsInput = document.getElementById('visit-rows');
	var box = document.getElementById('visit-grievances');
	var addBtn = document.getElementById('visit-add-grievance');

	function rows() { return box.querySelectorAll('.app-grievance'); }

	function addRow() { return cloneRow(box, rowsInput); }

	function snapshot() {
		var fields = [];
		var els = form.elements;
		var company = '';
		for (var i = 0; i < els.length; i++) {
			var el = els[i];
			if (!el.name || el.name === 'csrf' || el.type === 'submit' || el.type === 'button' || el.type === 'file') continue;
			if (el.type === 'checkbox' || el.type === 'radio') {
				if (el.checked) {
					fields.push([el.name, el.value, true]);
					if (el.name === 'company_id') {
						var lab = form.querySelector('label[for="' + el.id + '"]');
						company = lab ? lab.textContent : '';
					}
				}
			} else {
				fields.push([el.name, el.value]);
			}
		}
		return {
			key: keyInput.value, rows: rows().length, company: company,
			savedAt: new Date().toISOString(), fields: fields,
		};
	}
	function meaningful(d) {
		return d.fields.some(function (f) {
			return !f[2] && f[1] && ['idempotency_key', 'rows', 'held_on'].indexOf(f[0]) < 0;
		}) || d.fields.some(function (f) { return f[0] === 'company_id'; });
	}

	function restore(d) {
		keyInput.value = d.key;
		while (rows().length < d.rows && addRow()) { /* grow */ }
		var checks = form.querySelectorAll('input[type="checkbox"], input[type="radio"]');
		for (var i = 0; i < checks.length; i++) {
			if (checks[i].name === 'staff' || checks[i].name === 'company_id') checks[i].checked = false;
		}
		d.fields.forEach(function (f) {
			var name = f[0], value = f[1];
			if (f[2]) {
				var el = form.querySelector('input[name="' + name + '"][value="' + value.replace(/"/g, '') + '"]');
				if (!el && name === 'company_id') {
					/* the company was found by a search this page does not show: add it back */
					var list = document.getElementById('visit-companies');
					var li = document.createElement('li');
					li.className = 'krds-form-check';
					el = document.createElement('input');
					el.type = 'radio';
					el.name = 'company_id';
					el.value = value;
					el.id = 'company-' + value.replace(/[^0-9]/g, '');
					var lab = document.createElement('label');
					lab.htmlFor = el.id;
					lab.textContent = d.company || ('기업 ' + value);
					li.appendChild(el);
					li.appendChild(lab);
					list.appendChild(li);
				}
				if (el) el.checked = true;
				return;
			}
			var t = form.querySelector('[name="' + name + '"]');
			if (t && t.type !== 'hidden' || (t && name === 'rows')) t.value = value;
		});
		rowsInput.value = String(rows().length);
		var newco = form.querySelector('.app-visit-newco');
		if (newco && (form.elements.new_company_name.value || form.elements.new_company_brn.value)) newco.open = true;
	}

	/* Offer a draft left by a submit that never came back (or a reload). */
	var draft = load();
	var banner = document.getElementById('visit-draft');
	if (draft && banner && form.getAttribute('data-fresh') === '1' && meaningful(draft)) {
		var when = document.getElementById('visit-draft-when');
		try {
			when.textContent = ' (' + new Date(draft.savedAt).toLocaleString('ko-KR') + ')';
		} catch (e) { /* no date */ }
		banner.hidden = false;
		document.getElementById('visit-draft-restore').addEventListener('click', function () {
			restore(draft);
			banner.hidden = true;
			save(snapshot());
			var first = form.querySelector('input:not([type="hidden"])');
			if (first) first.focus();
		});
		document.getElementById('visit-draft-discard').addEventListener('click', function () {
			clear();
			banner.hidden = true;
		});
	} else if (form.getAttribute('data-fresh') !== '1') {
		save(snapshot()); /* a re-render (search, errors): keep it */
	}

	var timer = null;
	function later() {
		if (timer) window.clearTimeout(timer);
		timer = window.setTimeout(function () { save(snapshot()); }, 300);
	}
	form.addEventListener('input', later);
	form.addEventListener('change', later);
	form.addEventListener('submit', function () {
		if (timer) window.clearTimeout(timer);
		if (banner) banner.hidden = true;
		var s = snapshot();
		if (meaningful(s)) save(s);
	});
	if (addBtn) {
		addBtn.addEventListener('click', function (ev) {
			ev.preventDefault();
			var row = addRow();
			if (row) {
				row.querySelector('input').focus();
				save(snapshot());
			}
		});
	}
})();
