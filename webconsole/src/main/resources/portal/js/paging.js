// A list read from the API in pages (GET ...?limit=&cursor=&total=true): the range shown ("1–50 of 120"),
// Previous and Next, and how many rows a page has. The cursors of the pages shown so far make Previous work; a page
// that emptied meanwhile (its items deleted) falls back to the first.
import * as api from './api.js';
import {t} from './i18n.js';
import * as ui from './ui.js';

const {el} = ui;
const SIZES = [10, 50, 100];

export class PagedList {
  /** @param id prefix of the controls' element ids; @param path the list's path; @param size rows per page */
  constructor(id, path, size) {
    this.id = id;
    this.path = path;
    this.size = size || 50;
    this.cursors = [''];
    this.page = {items: [], next: null, total: null};
  }

  /** Back to the first page (after the filters changed). */
  reset() { this.cursors = ['']; }

  /**
   * Loads the current page with these filters (name → value, or → an array of values for a repeated parameter; empty
   * values are left out); answers its items.
   */
  async load(filters) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(filters || {})) {
      for (const one of Array.isArray(v) ? v : [v]) { if (one) { q.append(k, one); } }
    }
    q.set('limit', String(this.size));
    q.set('total', 'true');
    const cursor = this.cursors[this.cursors.length - 1];
    if (cursor) { q.set('cursor', cursor); }
    this.page = await api.page(this.path + '?' + q);
    if (!this.page.items.length && this.cursors.length > 1) {
      this.reset();
      return this.load(filters);
    }
    return this.page.items;
  }

  /**
   * A form of filters (its fields, then a Filter button): submitting it goes back to the first page and calls
   * redraw(); ids: the form's formId, its button formId + '-submit'.
   */
  filters(formId, fields, redraw) {
    const form = el('form.filters', {id: formId, novalidate: true}, fields,
      el('button', {id: formId + '-submit', type: 'submit', text: t('list.apply')}));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      this.reset();
      try { ui.clearMessage(); await redraw(); } catch (e) { ui.showError(e); }
    });
    return form;
  }

  /** The range, Previous, Next and rows per page; each change calls redraw(). */
  controls(redraw) {
    const first = (this.cursors.length - 1) * this.size;
    const {items, next, total} = this.page;
    const size = ui.select('pageSize', SIZES.map(n => ({value: String(n), label: String(n)})), String(this.size));
    size.id = this.id + '-size';
    size.addEventListener('change', async () => { this.size = Number(size.value); this.reset(); await redraw(); });
    return el('div.actions.pager', {id: this.id + '-pager'},
      el('span', {id: this.id + '-range', text: total === null || !items.length ? ''
        : t('list.range', {from: first + 1, to: first + items.length, total})}),
      this.cursors.length > 1 ? ui.button('list.previous', async () => { this.cursors.pop(); await redraw(); },
        {id: this.id + '-previous'}) : null,
      next ? ui.button('list.next', async () => { this.cursors.push(next); await redraw(); },
        {id: this.id + '-next'}) : null,
      el('label', null, el('span', {text: t('list.pageSize')}), size));
  }
}
