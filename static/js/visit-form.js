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

	/* On the visit's page: the draft that made it is done. */
	var saved = document.getElementById('visit-saved');
	if (saved) {
		var d0 = load();
		if (d0 && d0.key === saved.getAttribute('data-visit-key')) clear();
		return;
	}

	var form = document.getElementById('visit-form');
	if (!form) return;
	var keyInput = form.querySelector('input[name="idempotency_key"]');
	var rowsInput = document.getElementById('visit-rows');
	var box = document.getElementById('visit-grievances');
	var addBtn = document.getElementById('visit-add-grievance');

	function rows() { return box.querySelectorAll('.app-grievance'); }

	/* A new empty grievance row, cloned from the last one with its numbers moved on. */
	function addRow() {
		var all = rows();
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

	function snapshot() {
		var fields = [];
		var els = form.elements;
		var company = '';
		for (var i = 0; i < els.length; i++) {
			var el = els[i];
			if (!el.name || el.name === 'csrf' || el.type === 'submit' || el.type === 'button') continue;
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
