/*
 * digigap — shared browser script for respondent and dashboard pages.
 * Served from the binary (package static) at /static/js/app.js; link it with
 * static.AssetURL("js/app.js"). It must never load anything from another host.
 */
'use strict';

/*
 * Respondent pages. Everything works without this script; it only
 * enhances: it posts a personal link's token from the fragment, shows
 * progress, keeps a draft until the answers are sent, and brings the next
 * channel into view after a tap on a phone.
 *
 * A branch PC is shared, so a draft must never reach the next colleague:
 * it lives in this tab's sessionStorage only, under the visit (begun on the
 * first page of a link) and the credential (a hash the server gives, never
 * the token), for two hours at most; the first page of any link and the
 * thank-you page clear every draft.
 */
(function () {
  var DRAFT = 'digigap-draft-';
  var VISIT = 'digigap-visit';
  var MAX_AGE = 2 * 60 * 60 * 1000;

  function storage() {
    try { return window.sessionStorage; } catch (e) { return null; }
  }

  // Remove the drafts of this tab (all of them, or only the stale ones).
  function dropDrafts(s, staleOnly) {
    if (!s) { return; }
    for (var i = s.length - 1; i >= 0; i--) {
      var k = s.key(i);
      if (!k || k.indexOf(DRAFT) !== 0) { continue; }
      var saved = 0;
      try { saved = JSON.parse(s.getItem(k)).saved || 0; } catch (e) { /* unreadable: drop */ }
      if (!staleOnly || !(Date.now() - saved < MAX_AGE)) { s.removeItem(k); }
    }
  }

  // An earlier version kept drafts in localStorage, which outlives the
  // visit: remove whatever it left.
  try { dropDrafts(window.localStorage, false); } catch (e) { /* storage disabled */ }
  dropDrafts(storage(), true);

  // The first page of a link begins a new visit: nothing of an earlier one stays.
  function newVisit() {
    var s = storage();
    if (!s) { return ''; }
    dropDrafts(s, false);
    var bytes = new Uint8Array(12);
    window.crypto.getRandomValues(bytes);
    var id = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join('');
    try { s.setItem(VISIT, id); } catch (e) { return ''; }
    return id;
  }
  if (document.querySelector('[data-visit-start]')) { newVisit(); }

  // A personal link carries its token in the fragment, which never reaches
  // a server log: post it in a form field, and take it off the address bar.
  var tokenForm = document.querySelector('[data-token-form]');
  function postToken() {
    if (location.hash.indexOf('#t=') !== 0) { return; }
    var token = decodeURIComponent(location.hash.slice(3));
    history.replaceState(null, '', location.pathname + location.search);
    tokenForm.querySelector('input[name="token"]').value = token;
    var loading = document.querySelector('[data-loading]');
    if (loading) { loading.hidden = false; }
    tokenForm.submit();
  }
  if (tokenForm) {
    postToken();
    // A link opened while this page is shown only changes the fragment.
    window.addEventListener('hashchange', postToken);
  }

  // The thank-you page: no draft is needed any more.
  if (document.querySelector('[data-clear-drafts]') && storage()) {
    dropDrafts(storage(), false);
    storage().removeItem(VISIT);
  }

  var form = document.querySelector('form[data-survey]');
  if (!form) { return; }
  // A form reached without its first page (a new tab…) begins its own visit.
  var visit = (storage() && storage().getItem(VISIT)) || newVisit();
  var key = DRAFT + visit + '-' + form.getAttribute('data-draft');
  var items = form.querySelectorAll('[data-item]');

  function answered(item) {
    var area = item.querySelector('textarea');
    if (area) { return area.value.trim() !== ''; }
    return item.querySelector('input:checked') !== null;
  }

  function pairDone(pair) {
    var scales = pair.querySelectorAll('[data-item]');
    for (var i = 0; i < scales.length; i++) {
      if (!answered(scales[i])) { return false; }
    }
    return scales.length > 0;
  }

  var bar = document.querySelector('[data-progress]');
  function progress() {
    var n = 0;
    for (var i = 0; i < items.length; i++) { if (answered(items[i])) { n++; } }
    if (bar) { bar.querySelector('progress').value = n; }
    var pairs = form.querySelectorAll('.pair');
    for (var j = 0; j < pairs.length; j++) { pairs[j].classList.toggle('is-done', pairDone(pairs[j])); }
  }

  function saveDraft() {
    var s = storage();
    if (!s) { return; }
    var data = [];
    var fields = form.querySelectorAll('input[type="radio"], input[type="checkbox"], textarea');
    for (var i = 0; i < fields.length; i++) {
      var f = fields[i];
      if (f.tagName === 'TEXTAREA' ? f.value !== '' : f.checked) { data.push([f.name, f.value]); }
    }
    try { s.setItem(key, JSON.stringify({ saved: Date.now(), answers: data })); } catch (e) { /* full or disabled: no draft */ }
  }

  // A draft fills only a fresh page of the same visit and credential:
  // answers the server sent back win.
  function restoreDraft() {
    var s = storage();
    if (!s || !visit || !form.hasAttribute('data-fresh')) { return; }
    var data;
    try { data = JSON.parse(s.getItem(key)); } catch (e) { return; }
    if (!data || !(Date.now() - data.saved < MAX_AGE) || !data.answers) { return; }
    data = data.answers;
    for (var i = 0; i < data.length; i++) {
      var els = form.elements[data[i][0]];
      if (!els) { continue; }
      if (els.tagName === 'TEXTAREA') { els.value = data[i][1]; continue; }
      var list = els.length === undefined ? [els] : els;
      for (var j = 0; j < list.length; j++) {
        if (list[j].value === data[i][1]) { list[j].checked = true; }
      }
    }
  }

  // On a phone, once a channel's two answers are given with a tap, bring
  // the next channel into view. Keyboard users keep full control: arrow
  // keys fire no click with a pointer.
  form.addEventListener('click', function (ev) {
    var input = ev.target;
    if (input.type !== 'radio' || ev.detail === 0 || !window.matchMedia('(max-width: 40rem)').matches) { return; }
    var pair = input.closest('.pair');
    if (!pair || pair.classList.contains('is-done') || !pairDone(pair)) { return; }
    var next = pair.nextElementSibling;
    if (next && next.classList.contains('pair')) {
      var calm = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
      next.scrollIntoView({ behavior: calm ? 'auto' : 'smooth', block: 'start' });
    }
  });

  form.addEventListener('change', function () { progress(); saveDraft(); });
  form.addEventListener('input', function () { progress(); saveDraft(); });
  form.addEventListener('submit', function () {
    var s = storage();
    if (s) { s.removeItem(key); }
  });

  restoreDraft();
  if (bar) { bar.hidden = false; }
  progress();

  var summary = document.getElementById('error-summary');
  if (summary) { summary.focus(); }
})();
