import { make, required } from './dom.js';
import type { SymbolInfo } from '@tickstream/client/contract';
import { normalizeSymbols, type PageParams } from './page-params.js';

/** Chips for the subscribed symbols, a field to add more, and the throttle. */
export class SymbolPicker {
  private readonly chips: HTMLUListElement;
  private readonly input: HTMLInputElement;
  private readonly options: HTMLDataListElement;
  private readonly throttle: HTMLSelectElement;
  private known = new Set<string>();
  private params: PageParams | undefined;

  constructor(form: HTMLFormElement, onChange: (params: PageParams) => void) {
    this.chips = required('.chips', HTMLUListElement, form);
    this.input = required('input[name=symbol]', HTMLInputElement, form);
    this.options = required('datalist', HTMLDataListElement, form);
    this.throttle = required('select[name=throttle]', HTMLSelectElement, form);

    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const added = normalizeSymbols(this.input.value.split(/[\s,]+/));
      const unknown = added.filter((symbol) => this.known.size > 0 && !this.known.has(symbol));
      this.input.setCustomValidity(unknown.length > 0 ? `Unknown: ${unknown.join(', ')}` : '');
      if (!this.input.reportValidity() || !this.params || added.length === 0) {
        return;
      }
      this.input.value = '';
      onChange({ ...this.params, symbols: normalizeSymbols([...this.params.symbols, ...added]) });
    });
    this.input.addEventListener('input', () => this.input.setCustomValidity(''));
    this.chips.addEventListener('click', (event) => {
      const symbol =
        event.target instanceof Element
          ? event.target.closest('button')?.dataset.remove
          : undefined;
      if (symbol && this.params) {
        onChange({ ...this.params, symbols: this.params.symbols.filter((s) => s !== symbol) });
      }
    });
    this.throttle.addEventListener('change', () => {
      if (this.params) {
        onChange({ ...this.params, throttle: Number(this.throttle.value) });
      }
    });
  }

  setKnown(symbols: readonly Pick<SymbolInfo, 'symbol' | 'name'>[]): void {
    this.known = new Set(symbols.map(({ symbol }) => symbol));
    this.options.replaceChildren(
      ...symbols.map(({ symbol, name }) => {
        const option = make('option', '', name);
        option.value = symbol;
        return option;
      }),
    );
  }

  show(params: PageParams): void {
    this.params = params;
    const lastOne = params.symbols.length === 1;
    this.chips.replaceChildren(
      ...params.symbols.map((symbol) => {
        const chip = make('li', 'chip', symbol);
        const remove = make('button', 'chip-remove', '×');
        remove.type = 'button';
        remove.dataset.remove = symbol;
        remove.disabled = lastOne;
        remove.setAttribute('aria-label', `Remove ${symbol}`);
        chip.append(remove);
        return chip;
      }),
    );
    const value = String(params.throttle);
    if (![...this.throttle.options].some((option) => option.value === value)) {
      this.throttle.append(new Option(`${value} ms`, value));
    }
    this.throttle.value = value;
  }
}
