/** The page's colours, defined once in styles.css, for what is drawn outside CSS. */
export function palette() {
  const style = getComputedStyle(document.documentElement);
  const color = (name: string) => style.getPropertyValue(`--${name}`).trim();
  return {
    background: color('bg'),
    text: color('muted'),
    grid: color('panel-2'),
    border: color('line'),
    up: color('up'),
    down: color('down'),
    upVolume: color('up-volume'),
    downVolume: color('down-volume'),
    flash: color('flash'),
  };
}
