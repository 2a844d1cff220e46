/**
 * The widget's own styles (the dialog and the reading guide), injected once.
 * Relative units throughout: it follows browser zoom and the visitor's text size,
 * fits 320 px, and mirrors in right-to-left pages (logical properties).
 * Colours: #1d2327 on #fff is 15.6:1, #fff on #1d4ed8 is 6.7:1, #50575e on #fff is 7.3:1.
 */
export const UI_CSS =
  '.cyd{font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2327;background:#fff;text-align:start;letter-spacing:normal;' +
  'border:.125rem solid #1d2327;border-radius:.5rem;padding:0;margin-block:auto;margin-inline:auto .5rem;width:min(28rem,calc(100% - 1rem));max-height:calc(100% - 1rem);overflow:auto;box-shadow:0 .125rem 1rem rgba(0,0,0,.35)}' +
  '.cyd::backdrop{background:rgba(0,0,0,.15)}' +
  '.cyd *{box-sizing:border-box;font:inherit;color:inherit;letter-spacing:inherit}' +
  '.cyd>div{padding:1rem}' +
  '.cyd h2,.cyd h3{font-weight:700;line-height:1.3;margin:0}' +
  '.cyd h2{font-size:1.25rem}' +
  '.cyd h3{font-size:1rem;margin:1rem 0 .5rem}' +
  '.cyd p{margin:.5rem 0 0}' +
  '.cyd ul{list-style:none;margin:0;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(min(11rem,100%),1fr));gap:.5rem}' +
  '.cyd li{margin:0}' +
  '.cyd-h{display:flex;justify-content:space-between;align-items:center;gap:.75rem}' +
  '.cyd button{cursor:pointer;margin:0;min-height:2.75rem;min-width:2.75rem;padding:.5rem .75rem;border:.125rem solid #1d2327;border-radius:.375rem;background:#fff;text-align:start;font-weight:600;overflow-wrap:anywhere}' +
  '.cyd li button{width:100%}' +
  '.cyd button[aria-pressed=true]{background:#1d4ed8;border-color:#1d4ed8;color:#fff}' +
  '.cyd button[aria-pressed]:before{content:"" / "";display:inline-block;width:.75em;height:.75em;margin-inline-end:.5em;border:.125em solid currentColor;border-radius:.125em;vertical-align:-.05em}' +
  '.cyd button[aria-pressed=true]:before{background:currentColor;box-shadow:inset 0 0 0 .125em #1d4ed8}' +
  '.cyd .cyd-x{border-color:transparent;font-size:1.75rem;line-height:1;padding:0;text-align:center}' +
  '.cyd-d{display:block;font-size:.875rem;color:#50575e;margin-top:.25rem}' +
  '.cyd-r{margin-top:1rem}' +
  '.cyd :focus-visible{outline:.1875rem solid #1d4ed8;outline-offset:.125rem}' +
  '.cyd-g{position:fixed;z-index:2147483646;left:0;right:0;top:0;height:2.5em;margin-top:-1.25em;pointer-events:none;border-block:.1875em solid #1d4ed8;background:rgba(29,78,216,.08)}' +
  '@media (prefers-reduced-motion:reduce){.cyd *{transition:none!important}}';
