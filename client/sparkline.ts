const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 64;
const HEIGHT = 20;

/** A tiny line of a symbol's recent prices; its row colours it. */
export class Sparkline {
  readonly element: SVGSVGElement;
  private readonly line: SVGPolylineElement;
  private readonly prices: number[] = [];

  constructor(private readonly capacity = 48) {
    this.element = document.createElementNS(SVG, 'svg');
    this.element.setAttribute('viewBox', `0 0 ${WIDTH} ${HEIGHT}`);
    this.element.setAttribute('preserveAspectRatio', 'none');
    this.element.setAttribute('class', 'sparkline');
    this.element.setAttribute('aria-hidden', 'true');
    this.line = document.createElementNS(SVG, 'polyline');
    this.line.setAttribute('vector-effect', 'non-scaling-stroke');
    this.element.append(this.line);
  }

  add(price: number): void {
    this.prices.push(price);
    if (this.prices.length > this.capacity) {
      this.prices.shift();
    }
  }

  clear(): void {
    this.prices.length = 0;
  }

  render(): void {
    const low = Math.min(...this.prices);
    const range = Math.max(...this.prices) - low || 1;
    const step = WIDTH / Math.max(this.capacity - 1, 1);
    const offset = WIDTH - step * (this.prices.length - 1);
    const points = this.prices.map(
      (price, index) =>
        `${(offset + index * step).toFixed(1)},${(HEIGHT - 1 - ((price - low) / range) * (HEIGHT - 2)).toFixed(1)}`,
    );
    this.line.setAttribute('points', points.join(' '));
  }
}
